/**
 * The drift configuration shipped in workflows-examples/drift/, checked by the real tools:
 * Debian's promtool (prometheus 2.42) checks rules.yml and runs its unit tests
 * (rules.test.yml: the figure, the PSI, the alert firing after 15 minutes, no alert without
 * drift or without predictions) — and fails them when the threshold moves; Debian's amtool
 * (Alertmanager 0.25) checks alertmanager.yml. That file is written for Alertmanager ≥ 0.32
 * (`payload`, the webhook body GitHub's dispatches API needs; `timeout`): 0.25 must reject
 * exactly those two fields and accept everything else. The pieces agree with each other:
 * the dispatched event is the one drift-check-caller.yml listens for, the alert's threshold
 * is drift-check.yml's default.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { repoRoot } from '../harness/runner.ts';

const EXAMPLES = path.join(repoRoot, 'workflows-examples');
const DRIFT = path.join(EXAMPLES, 'drift');
const dir = mkdtempSync(path.join(tmpdir(), 'drift-config-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(cmd: string, args: string[], cwd = DRIFT): { status: number | null; out: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

interface Webhook {
  url: string;
  send_resolved?: boolean;
  http_config: { authorization: { type: string; credentials_file?: string; credentials?: string } };
  payload?: { event_type: string; client_payload: Record<string, string> };
  timeout?: string;
}
interface AlertmanagerConfig {
  route: { routes: { receiver: string; matchers: string[] }[] };
  receivers: { name: string; webhook_configs?: Webhook[] }[];
}
const alertmanager = parse(
  readFileSync(path.join(DRIFT, 'alertmanager.yml'), 'utf8'),
) as AlertmanagerConfig;
const webhook = (): Webhook =>
  alertmanager.receivers.find((r) => r.name === 'github-retrain')!.webhook_configs![0]!;

describe('drift/rules.yml (promtool)', () => {
  it('passes promtool check rules: 3 recording rules and the alert', () => {
    const r = run('promtool', ['check', 'rules', 'rules.yml']);
    expect(r).toEqual({ status: 0, out: expect.stringContaining('SUCCESS: 4 rules found') });
  });

  it('passes its unit tests (promtool test rules rules.test.yml)', () => {
    const r = run('promtool', ['test', 'rules', 'rules.test.yml']);
    expect(r).toEqual({ status: 0, out: expect.stringContaining('SUCCESS') });
  });

  it('the unit tests fail when the alert threshold moves (they can fail)', () => {
    const rules = readFileSync(path.join(DRIFT, 'rules.yml'), 'utf8');
    const moved = rules.replace('max_share_diff_1h > 0.1', 'max_share_diff_1h > 0.5');
    expect(moved).not.toBe(rules);
    writeFileSync(path.join(dir, 'rules.yml'), moved);
    copyFileSync(path.join(DRIFT, 'rules.test.yml'), path.join(dir, 'rules.test.yml'));
    const r = run('promtool', ['test', 'rules', 'rules.test.yml'], dir);
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/alertname: IrisPredictionDrift, time: 20m/);
  });

  it("alerts at drift-check.yml's default threshold", () => {
    const workflow = parse(readFileSync(path.join(EXAMPLES, 'drift-check.yml'), 'utf8')) as {
      on: { workflow_call: { inputs: Record<string, { default?: unknown }> } };
    };
    const { threshold, 'drift-query': query } = workflow.on.workflow_call.inputs;
    const rules = readFileSync(path.join(DRIFT, 'rules.yml'), 'utf8');
    expect(rules).toContain(
      `iris:prediction_drift:max_share_diff_1h > ${String(threshold?.default)}`,
    );
    // The workflow's query is the recorded figure spelled out (same metrics, same window).
    for (const part of ['increase(iris_predictions_total[1h])', 'iris_training_class_share'])
      expect({ part, query: String(query?.default).includes(part) }).toEqual({ part, query: true });
  });
});

describe('drift/alertmanager.yml (amtool)', () => {
  it('Alertmanager 0.25 rejects exactly the fields that need 0.32 (timeout, payload)', () => {
    const r = run('amtool', ['check-config', 'alertmanager.yml']);
    expect(r.status).toBe(1);
    const unknown = [...r.out.matchAll(/field (\w+) not found/g)].map((m) => m[1]);
    expect(unknown).toEqual(['timeout', 'payload']);
  });

  it('passes amtool check-config without them: route, receiver, http_config.authorization', () => {
    const older = structuredClone(alertmanager);
    for (const receiver of older.receivers)
      for (const w of receiver.webhook_configs ?? []) {
        delete w.payload;
        delete w.timeout;
      }
    const file = path.join(dir, 'alertmanager-0.25.yml');
    writeFileSync(file, stringify(older));
    const r = run('amtool', ['check-config', file]);
    expect(r.status).toBe(0);
    expect(r.out).toContain('SUCCESS');
    expect(r.out).toContain(' - 2 receivers');
  });

  it("routes the drift alert to GitHub's dispatches API with the body and token it needs", () => {
    const route = alertmanager.route.routes[0]!;
    expect(route.receiver).toBe('github-retrain');
    expect(route.matchers).toContain('alertname = "IrisPredictionDrift"');
    const w = webhook();
    expect(w.url).toMatch(/^https:\/\/api\.github\.com\/repos\/[\w.-]+\/[\w.-]+\/dispatches$/);
    expect(w.send_resolved).toBe(false);
    // The token comes from a file, never inline.
    expect(w.http_config.authorization).toEqual({
      type: 'Bearer',
      credentials_file: expect.stringMatching(/^\//),
    });
    // GitHub: event_type required, client_payload at most 10 top-level properties.
    expect(Object.keys(w.payload!.client_payload).length).toBeLessThanOrEqual(10);
    const caller = parse(readFileSync(path.join(EXAMPLES, 'drift-check-caller.yml'), 'utf8')) as {
      on: { repository_dispatch: { types: string[] } };
    };
    expect(caller.on.repository_dispatch.types).toEqual([w.payload!.event_type]);
  });
});
