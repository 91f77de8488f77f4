/**
 * Model behaviour on identical inputs: `prediction-path` says where the prediction sits in a
 * response (`predictions[*]`, `predictions[0].label`, `outputs[0].data[*]`); each tick's
 * candidate and baseline answers (the same body, sent at the same moment) are compared.
 *
 * - changed share: of the ticks where both answered 2xx with a prediction at the path, the
 *   share whose predictions differ (as JSON values, element by element in order);
 * - PSI (population stability index) between the two predictions' distributions: for
 *   categorical predictions (strings, booleans, or at most 20 distinct numbers) one bin per
 *   value; otherwise 10 bins at the baseline's deciles. PSI = Σ (c − b)·ln(c / b) over the
 *   bins' shares, an empty bin counted as 0.0001 (the usual convention). Rules of thumb:
 *   < 0.1 no shift, 0.1–0.25 moderate, > 0.25 large.
 *
 * Server values never reach the log or summary: only counts, shares and PSI do.
 */
import { InputError } from '../../shared/errors.ts';

export type PathStep = { key: string } | { index: number } | { all: true };

/** `predictions[*]`, `outputs[0].data[*]`, `predictions[*].label`. */
export function parsePredictionPath(name: string, text: string): PathStep[] {
  const steps: PathStep[] = [];
  const re = /\.?([A-Za-z_][A-Za-z0-9_-]*)|\[(\d{1,6}|\*)\]/y;
  let at = 0;
  while (at < text.length) {
    re.lastIndex = at;
    const m = re.exec(text);
    // A key is first (no dot) or follows a dot: `a.b`, `a[0].b`, never `.a` or `a[0]b`.
    if (!m || (m[1] !== undefined && m[0].startsWith('.') !== at > 0)) break;
    if (m[1] !== undefined) steps.push({ key: m[1] });
    else if (m[2] === '*') steps.push({ all: true });
    else steps.push({ index: Number(m[2]) });
    at = re.lastIndex;
  }
  if (at !== text.length || steps.length === 0 || !('key' in (steps[0] as PathStep))) {
    throw new InputError(
      `Input '${name}' must be a path into the JSON response such as predictions[*], predictions[0].label or outputs[0].data[*] (got "${text}").`,
    );
  }
  return steps;
}

/** The values at `steps` in `doc` (several with `[*]`); undefined when the path is not there. */
export function extract(doc: unknown, steps: readonly PathStep[]): unknown[] | undefined {
  let current: unknown[] = [doc];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const value of current) {
      if ('key' in step) {
        if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
        if (!Object.hasOwn(value, step.key)) return undefined;
        next.push((value as Record<string, unknown>)[step.key]);
      } else if (!Array.isArray(value)) {
        return undefined;
      } else if ('all' in step) {
        next.push(...(value as unknown[]));
      } else {
        if (step.index >= value.length) return undefined;
        next.push(value[step.index]);
      }
    }
    current = next;
  }
  return current;
}

export interface PredictionFigures {
  /** Ticks where both targets answered with a prediction. */
  compared: number;
  changed: number;
  changedShare: number;
  /** Undefined when there was nothing to compare. */
  psi?: number;
  /** 2xx answers without a prediction at the path (candidate, baseline). */
  missing: [number, number];
}

const CATEGORICAL_MAX = 20;
const EMPTY_SHARE = 0.0001;

function bins(candidate: unknown[], baseline: unknown[]): ((v: unknown) => string) | undefined {
  const values = [...candidate, ...baseline];
  const numbers = values.filter((v): v is number => typeof v === 'number');
  const distinct = new Set(values.map((v) => JSON.stringify(v)));
  if (numbers.length < values.length || distinct.size <= CATEGORICAL_MAX) {
    return (v) => JSON.stringify(v);
  }
  const sorted = baseline.filter((v): v is number => typeof v === 'number').sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const edges = Array.from(
    { length: 9 },
    (_, i) => sorted[Math.floor(((i + 1) * sorted.length) / 10)] as number,
  );
  return (v) => String(edges.filter((e) => (v as number) >= e).length);
}

/** PSI between two samples of prediction values (see the module comment). */
export function psi(candidate: unknown[], baseline: unknown[]): number | undefined {
  if (candidate.length === 0 || baseline.length === 0) return undefined;
  const bin = bins(candidate, baseline);
  if (!bin) return undefined;
  const count = (values: unknown[]): Map<string, number> => {
    const m = new Map<string, number>();
    for (const v of values) m.set(bin(v), (m.get(bin(v)) ?? 0) + 1);
    return m;
  };
  const c = count(candidate);
  const b = count(baseline);
  let total = 0;
  for (const key of new Set([...c.keys(), ...b.keys()])) {
    const pc = Math.max(EMPTY_SHARE, (c.get(key) ?? 0) / candidate.length);
    const pb = Math.max(EMPTY_SHARE, (b.get(key) ?? 0) / baseline.length);
    total += (pc - pb) * Math.log(pc / pb);
  }
  return total;
}

/** Collects each tick's predictions from candidate (target 0) and baseline (target 1). */
export class PredictionTracker {
  private readonly steps: readonly PathStep[];
  private readonly pending = new Map<number, string>();
  private readonly values: [unknown[], unknown[]] = [[], []];
  private compared = 0;
  private changed = 0;
  private readonly missing: [number, number] = [0, 0];

  constructor(steps: readonly PathStep[]) {
    this.steps = steps;
  }

  /** One 2xx answer's body; `tick` pairs it with the other target's answer to the same body. */
  add(target: number, tick: number, body: Buffer | undefined): void {
    if (target !== 0 && target !== 1) return;
    let found: unknown[] | undefined;
    try {
      found = body ? extract(JSON.parse(body.toString('utf8')), this.steps) : undefined;
    } catch {
      found = undefined;
    }
    if (!found) {
      this.missing[target]++;
      return;
    }
    this.values[target]?.push(...found);
    const key = JSON.stringify(found);
    const other = this.pending.get(tick);
    if (other === undefined) {
      this.pending.set(tick, key);
      return;
    }
    this.pending.delete(tick);
    this.compared++;
    if (other !== key) this.changed++;
  }

  figures(): PredictionFigures {
    const share = this.compared === 0 ? 0 : this.changed / this.compared;
    const index = psi(this.values[0], this.values[1]);
    return {
      compared: this.compared,
      changed: this.changed,
      changedShare: share,
      ...(index !== undefined ? { psi: Math.round(index * 10_000) / 10_000 } : {}),
      missing: [...this.missing],
    };
  }
}
