/** Compact terminal rendering of the demo's steps: inputs, outputs, annotations, job summary. */
import type { JobStep } from './demo-job.ts';

export type Out = (line: string) => void;

export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  ok(text: string): string;
  bad(text: string): string;
}

export function style(color: boolean): Style {
  const wrap =
    (code: string) =>
    (text: string): string =>
      color ? `\x1b[${code}m${text}\x1b[0m` : text;
  return { bold: wrap('1'), dim: wrap('2'), ok: wrap('32'), bad: wrap('31') };
}

/** A duration: milliseconds below a second, else seconds. */
export function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** A multi-line input or output on one line. */
function oneLine(value: string): string {
  return value.split('\n').filter(Boolean).join(' · ');
}

/** JSON arrays of objects or strings (the resources/images outputs) as a short list. */
function readable(value: string): string {
  if (!value.startsWith('[')) return oneLine(value);
  try {
    const list = JSON.parse(value) as unknown[];
    const items = list.map((item) => {
      if (typeof item === 'string') return item;
      const o = item as { kind?: string; namespace?: string; name?: string };
      return o.kind && o.name ? `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}` : '';
    });
    if (items.every(Boolean)) return items.join(', ');
  } catch {
    // not JSON after all: shown as it is
  }
  return oneLine(value);
}

function table(out: Out, s: Style, title: string, entries: [string, string][]): void {
  if (entries.length === 0) return;
  out(`  ${s.dim(title)}`);
  const width = Math.max(...entries.map(([k]) => k.length));
  for (const [k, v] of entries) out(`    ${k.padEnd(width)}  ${v === '' ? s.dim('(empty)') : v}`);
}

/** Strips the HTML a job summary may carry and blank-line runs; indents it under a rule. */
function summaryLines(summary: string): string[] {
  const lines = summary
    .replace(/<\/?(details|summary)>/g, '')
    .replace(/<br>/g, ' / ')
    .split('\n')
    .map((l) => l.trimEnd());
  return lines.filter((l, i) => l !== '' || (i > 0 && lines[i - 1] !== ''));
}

export interface PrintStepOptions {
  /** Inputs shown as the workflow writes them (secrets, step outputs) instead of their value. */
  shown?: Record<string, string>;
  /** The same step's inputs in an earlier job: only the inputs that differ are listed. */
  previous?: Record<string, string>;
}

/**
 * One step: header (action, exit code, time), the `with:` inputs, outputs, exported env,
 * annotations, job summary.
 */
export function printStep(out: Out, s: Style, step: JobStep, opts: PrintStepOptions = {}): void {
  const shown = opts.shown ?? {};
  const r = step.result;
  if (!r) {
    out(`\n${s.bold(`▶ ${step.action}`)}  ${s.dim(`skipped: ${step.skipped ?? '?'}`)}`);
    return;
  }
  const exit = r.exitCode === 0 ? s.ok('exit 0') : s.bad(`exit ${r.exitCode}`);
  out(`\n${s.bold(`▶ ${step.action}`)}  ${exit} · ${seconds(r.durationMs)}`);
  const inputs = Object.entries(step.inputs).filter(
    ([k, v]) => !opts.previous || opts.previous[k] !== v,
  );
  const same = Object.keys(step.inputs).length - inputs.length;
  if (inputs.length === 0) out(`  ${s.dim('with: as before')}`);
  table(
    out,
    s,
    same > 0 ? `with (${same} more as before)` : 'with',
    inputs.map(([k, v]) => [k, shown[k] ?? oneLine(v)]),
  );
  table(
    out,
    s,
    'outputs',
    Object.entries(r.outputs).map(([k, v]) => [k, readable(v)]),
  );
  // An exported value that repeats an output is named, not repeated.
  const byValue = new Map(Object.entries(r.outputs).map(([k, v]) => [v, k]));
  table(
    out,
    s,
    'exported env (GITHUB_ENV, for the later steps)',
    Object.entries(r.env).map(([k, v]) => [k, byValue.has(v) ? `= ${byValue.get(v)}` : v]),
  );
  for (const a of r.annotations) {
    const [first = '', ...rest] = a.message.split('\n');
    const tag = a.level === 'error' ? s.bad(`${a.level}:`) : `${a.level}:`;
    out(`  ${tag} ${first}`);
    const more = rest.filter((l) => l.trim() !== '');
    for (const l of more.slice(0, 4)) out(`    ${l}`);
    if (more.length > 4)
      out(s.dim(`    … ${more.length - 4} more line(s), also in the job summary`));
  }
  const summary = summaryLines(r.summary.trim());
  if (summary.length > 0) {
    out(`  ${s.dim('job summary')}`);
    for (const l of summary) out(`  ${s.dim('│')} ${l}`);
  }
}

/** The post steps, in the order the runner ran them. */
export function printPosts(out: Out, s: Style, steps: JobStep[]): void {
  const posts = [...steps].reverse().filter((st) => st.post);
  if (posts.length === 0) return;
  out(`\n${s.bold('▶ post steps')} ${s.dim('(end of job, reverse order, post-if: always())')}`);
  for (const st of posts) {
    const p = st.post!;
    const exit = p.exitCode === 0 ? s.ok('exit 0') : s.bad(`exit ${p.exitCode}`);
    // Plain log lines inline; workflow commands are shown as their annotations.
    const log = p.maskedLog
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('::'));
    out(
      `  post ${st.action}  ${exit} · ${seconds(p.durationMs)}${log.length ? `  ${s.dim(log.join(' / '))}` : ''}`,
    );
    for (const a of p.annotations) {
      const [first = '', ...rest] = a.message.split('\n');
      out(`    ${a.level}: ${first}`);
      for (const l of rest.filter((x) => x.trim() !== '')) out(`      ${l}`);
    }
  }
}

/** The last lines of a step's log, for a step that did not do what was expected. */
export function printLogTail(out: Out, s: Style, step: JobStep, lines = 40): void {
  if (!step.result) return;
  const log = step.result.maskedLog.trimEnd().split('\n');
  out(s.dim(`  log of ${step.action} (last ${Math.min(lines, log.length)} lines):`));
  for (const l of log.slice(-lines)) out(`  ${s.dim('│')} ${l}`);
}
