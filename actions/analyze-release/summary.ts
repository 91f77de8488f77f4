/**
 * The job summary: the verdict, candidate vs baseline with deltas, each check's verdict, and
 * the p95 latency over time as a Mermaid `xychart-beta` (GitHub renders it in summaries and
 * comments). Every cell goes through shared/summary.ts' escaping; the chart holds numbers
 * and fixed words only.
 */
import { markdownTable, statusEmoji, type Status } from '../../shared/summary.ts';
import type { Decision } from './compare.ts';
import type { AnalyzeInputs } from './inputs.ts';
import { percent } from './judge.ts';
import type { AnalyzeReport } from './report.ts';
import type { TargetFigures } from './stats.ts';

const STATUS: Record<Decision, Status> = {
  pass: 'success',
  fail: 'failure',
  inconclusive: 'warning',
};

export function verdictLine(verdict: Decision): string {
  return `${statusEmoji(STATUS[verdict])} ${verdict}`;
}

type Row = [string, (f: TargetFigures) => number, (n: number) => string];

const ROWS: Row[] = [
  ['requests', (f) => f.requests, String],
  ['error rate', (f) => f.errorRate, percent],
  ['throughput', (f) => f.throughput, (n) => `${n}/s`],
  ['latency p50', (f) => f.latencyMs.p50, (n) => `${n} ms`],
  ['latency p90', (f) => f.latencyMs.p90, (n) => `${n} ms`],
  ['latency p95', (f) => f.latencyMs.p95, (n) => `${n} ms`],
  ['latency p99', (f) => f.latencyMs.p99, (n) => `${n} ms`],
  ['latency max', (f) => f.latencyMs.max, (n) => `${n} ms`],
];

function delta(c: number, b: number, show: (n: number) => string): string {
  if (c === b) return '=';
  const pct =
    b === 0 ? '' : ` (${c > b ? '+' : '−'}${Number(Math.abs(((c - b) / b) * 100).toFixed(1))}%)`;
  return `${c > b ? '+' : '−'}${show(Number(Math.abs(c - b).toFixed(3)))}${pct}`;
}

export function figuresTable(candidate: TargetFigures, baseline?: TargetFigures): string {
  const headers = baseline ? ['', 'candidate', 'baseline', 'Δ'] : ['', 'candidate'];
  const rows = ROWS.map(([name, get, show]) => {
    const c = get(candidate);
    if (!baseline) return [name, show(c)];
    const b = get(baseline);
    return [
      name,
      show(c),
      show(b),
      name === 'error rate' ? `${delta(c * 100, b * 100, (n) => `${n}pp`)}` : delta(c, b, show),
    ];
  });
  return markdownTable(headers, rows);
}

/** p95 per bucket as a Mermaid xychart: the candidate's line first, the baseline's second. */
export function latencyChart(series: NonNullable<AnalyzeReport['series']>): string {
  const seconds = series.bucketMs / 1000;
  const xs = series.candidate.map((_, i) => String(i * seconds));
  const top = Math.max(1, ...series.candidate, ...(series.baseline ?? []));
  const lines = [
    '```mermaid',
    'xychart-beta',
    `  title "p95 latency (ms) per ${seconds} s"`,
    `  x-axis "seconds" [${xs.join(', ')}]`,
    `  y-axis "ms" 0 --> ${Math.ceil(top * 1.1)}`,
    `  line [${series.candidate.join(', ')}]`,
  ];
  if (series.baseline) lines.push(`  line [${series.baseline.join(', ')}]`);
  lines.push('```');
  return lines.join('\n');
}

function predictionLine(p: NonNullable<AnalyzeReport['predictions']>): string {
  const psi = p.psi === undefined ? 'no PSI (nothing to compare)' : `PSI ${p.psi}`;
  const missing =
    p.missing[0] + p.missing[1] > 0
      ? `; answers without a prediction at the path: candidate ${p.missing[0]}, baseline ${p.missing[1]}`
      : '';
  return `Model behaviour on identical inputs: ${percent(p.changedShare)} of predictions changed (${p.changed} of ${p.compared}), ${psi}${missing}.`;
}

function loadLine(inputs: AnalyzeInputs): string {
  if (inputs.metricsOnly) {
    const { evaluations } = inputs.metricsOnly;
    const when =
      evaluations === 1
        ? 'evaluated once'
        : `evaluated ${evaluations} times, ${(inputs.prometheus?.intervalMs ?? 0) / 1000} s apart`;
    return `Metrics only: no load was sent; the verdict comes from the Prometheus queries, ${when}.`;
  }
  const how =
    inputs.load.kind === 'rate'
      ? `${inputs.load.rate} req/s open loop`
      : `${inputs.load.workers} concurrent requests (closed loop)`;
  return `Load: ${how}, ${inputs.durationMs / 1000} s measured after ${inputs.warmupMs / 1000} s warm-up, request timeout ${inputs.requestTimeoutMs / 1000} s.`;
}

export function analyzeSummary(report: AnalyzeReport): string {
  const { inputs } = report;
  const parts = [
    `## analyze-release: ${verdictLine(report.verdict ?? 'inconclusive')}`,
    '',
    loadLine(inputs),
  ];
  if (report.candidate) parts.push('', figuresTable(report.candidate, report.baseline));
  if (report.predictions) parts.push('', predictionLine(report.predictions));
  if (report.checks.length > 0) {
    parts.push(
      '',
      '### Checks',
      '',
      markdownTable(
        ['check', 'measured', 'verdict'],
        report.checks.map((c) => [c.name, c.measured, verdictLine(c.verdict)]),
      ),
    );
  } else {
    parts.push('', 'No checks were set: the verdict is pass by default.');
  }
  if (report.queries) {
    parts.push(
      '',
      '### Live metrics (Prometheus)',
      '',
      markdownTable(
        ['query', 'condition', 'last value', 'evaluations failed', 'no data', 'verdict'],
        report.queries.map((q) => [
          q.name,
          q.condition,
          q.last.length === 0
            ? '—'
            : q.last
                .slice(0, 3)
                .map((v) => Number(v.toPrecision(4)))
                .join(', '),
          `${q.failed}/${q.evaluations}`,
          q.empty,
          verdictLine(q.verdict),
        ]),
      ),
    );
  }
  if (report.hpa) {
    const h = report.hpa;
    parts.push(
      '',
      `### Autoscaling: ${h.name} ${h.text}`,
      '',
      markdownTable(
        ['seconds into the load', 'current replicas', 'desired replicas'],
        h.points.map((p) => [p.atS, p.current, p.desired]),
      ),
    );
  }
  if (report.series && report.series.candidate.length > 1) {
    const legend = report.series.baseline ? ' (first line: candidate, second: baseline)' : '';
    parts.push('', `### Latency over time${legend}`, '', latencyChart(report.series));
  }
  const failures = Object.entries(report.candidate?.failures ?? {});
  if (failures.length > 0) {
    parts.push('', `Candidate failures: ${failures.map(([k, n]) => `${k} × ${n}`).join(', ')}`);
  }
  return parts.join('\n') + '\n';
}
