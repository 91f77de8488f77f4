/**
 * A model server for analyze-release's tests: answers KServe v1 predictions
 * (`{"predictions": [class]}`) after a set latency, with switches that inject latency, errors
 * and changed predictions (so one server serves as candidate and baseline), and a Prometheus
 * `/metrics` endpoint (requests by code, a latency histogram, predictions by class) in the
 * text exposition format. Test code only.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ModelSwitches {
  /** Answer after this many ms. */
  delayMs: number;
  /** Every n-th request answers 503 (0: never). */
  failEvery: number;
  /** Every n-th prediction is class 1 instead of class 0 (0: never). */
  flipEvery: number;
}

export interface ModelServer {
  url: string;
  switches: ModelSwitches;
  requests: number;
  close(): Promise<void>;
}

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export async function startModelServer(
  switches: Partial<ModelSwitches> = {},
): Promise<ModelServer> {
  const byCode = new Map<number, number>();
  const byClass = new Map<number, number>();
  const buckets = BUCKETS.map(() => 0);
  let sum = 0;
  let count = 0;
  const model: ModelServer = {
    url: '',
    switches: { delayMs: 1, failEvery: 0, flipEvery: 0, ...switches },
    requests: 0,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const metrics = (): string => {
    const lines = ['# TYPE model_requests_total counter'];
    for (const [code, n] of byCode) lines.push(`model_requests_total{code="${code}"} ${n}`);
    lines.push('# TYPE model_request_duration_seconds histogram');
    BUCKETS.forEach((le, i) =>
      lines.push(`model_request_duration_seconds_bucket{le="${le}"} ${buckets[i]}`),
    );
    lines.push(`model_request_duration_seconds_bucket{le="+Inf"} ${count}`);
    lines.push(
      `model_request_duration_seconds_sum ${sum}`,
      `model_request_duration_seconds_count ${count}`,
    );
    lines.push('# TYPE model_predictions_total counter');
    for (const [c, n] of byClass) lines.push(`model_predictions_total{class="${c}"} ${n}`);
    return lines.join('\n') + '\n';
  };
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url === '/metrics') {
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
        res.end(metrics());
        return;
      }
      const n = ++model.requests;
      const s = model.switches;
      const started = process.hrtime.bigint();
      setTimeout(() => {
        const code = s.failEvery && n % s.failEvery === 0 ? 503 : 200;
        const cls = s.flipEvery && n % s.flipEvery === 0 ? 1 : 0;
        byCode.set(code, (byCode.get(code) ?? 0) + 1);
        if (code === 200) byClass.set(cls, (byClass.get(cls) ?? 0) + 1);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        BUCKETS.forEach((le, i) => {
          if (seconds <= le) buckets[i] = (buckets[i] ?? 0) + 1;
        });
        sum += seconds;
        count++;
        res.writeHead(code, { 'content-type': 'application/json' });
        res.end(code === 200 ? `{"predictions": [${cls}]}` : '{"error": "overloaded"}');
      }, s.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  model.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return model;
}
