/**
 * Offline schema validation of Kubernetes objects: built-in kinds against the generated
 * Kubernetes schema, CRD kinds (KServe InferenceService bundled) against their CRD
 * schema, with the API server's strict field validation meaning (unknown fields are
 * errors). The validators are precompiled at build time (scripts/gen-validators.ts) and
 * loaded on first use, so nothing is compiled at run time.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import {
  apiAvailabilityProblem,
  unservedCrdVersionProblem,
  type KubernetesVersion,
} from './api-versions.ts';

type Validators = Record<string, ValidateFunction | undefined>;

/** The export name of a kind's validator (must match scripts/gen-validators.ts). */
export function validatorExportName(apiVersion: string, kind: string): string {
  return `v_${`${apiVersion}/${kind}`.replace(/[^A-Za-z0-9]/g, '_')}`;
}

export interface SchemaProblem {
  /** Path of the offending node in the object. */
  path: (string | number)[];
  message: string;
}

export interface ValidationResult {
  /** false when no schema is known for the kind (not validated). */
  known: boolean;
  problems: SchemaProblem[];
}

function pathOf(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** `spec.template.spec.containers[0].image` */
export function formatPath(path: readonly (string | number)[]): string {
  return path.reduce<string>(
    (acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p),
    '',
  );
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function toProblems(errors: ErrorObject[], root: unknown): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    let path = pathOf(e.instancePath);
    let message: string;
    switch (e.keyword) {
      case 'additionalProperties':
        path = [...path, (e.params as { additionalProperty: string }).additionalProperty];
        message = `unknown field "${formatPath(path)}"`;
        break;
      case 'required':
        path = [...path, (e.params as { missingProperty: string }).missingProperty];
        message = `missing required field "${formatPath(path)}"`;
        break;
      case 'type': {
        const value = path.reduce<unknown>(
          (node, key) => (node as Record<string | number, unknown> | undefined)?.[key],
          root,
        );
        const expected = String((e.params as { type: string | string[] }).type).replace(
          ',',
          ' or ',
        );
        message = `field "${formatPath(path)}" must be ${expected}, got ${describe(value)}`;
        break;
      }
      case 'anyOf':
      case 'oneOf':
      case 'if':
        continue;
      default:
        message = `field "${formatPath(path) || '(root)'}" ${e.message ?? 'is invalid'}`;
    }
    if (seen.has(message)) continue;
    seen.add(message);
    problems.push({ path, message });
  }
  return problems;
}

export class ManifestValidator {
  private readonly validators: Validators;
  private readonly version: KubernetesVersion | undefined;

  private constructor(validators: Validators, version: KubernetesVersion | undefined) {
    this.validators = validators;
    this.version = version;
  }

  /**
   * Loads the validators of the given kinds (`apiVersion/kind`; all when omitted): each
   * bucket of kinds is its own module, so a typical render loads only the common one.
   */
  static async create(
    options: { kubernetesVersion?: KubernetesVersion; kinds?: Iterable<string> } = {},
  ): Promise<ManifestValidator> {
    const { bucketByExport, loadBucket } = await import('./validators.generated.js');
    const wanted = options.kinds
      ? [...options.kinds].map((k) => {
          const slash = k.lastIndexOf('/');
          return bucketByExport[validatorExportName(k.slice(0, slash), k.slice(slash + 1))];
        })
      : Object.values(bucketByExport);
    const buckets = [...new Set(wanted.filter((b): b is string => b !== undefined))];
    const modules = await Promise.all(buckets.map((b) => loadBucket(b)));
    const validators = Object.assign({}, ...modules) as Validators;
    return new ManifestValidator(validators, options.kubernetesVersion);
  }

  /** Whether a schema exists for the kind (built in or a bundled CRD). */
  knows(apiVersion: string, kind: string): boolean {
    return this.validators[validatorExportName(apiVersion, kind)] !== undefined;
  }

  validate(object: Record<string, unknown>): ValidationResult {
    const apiVersion = String(object.apiVersion ?? '');
    const kind = String(object.kind ?? '');
    const problems: SchemaProblem[] = [];
    if (this.version) {
      const problem = apiAvailabilityProblem(apiVersion, kind, this.version);
      if (problem) problems.push({ path: ['apiVersion'], message: problem });
    }
    const metadata = object.metadata as Record<string, unknown> | undefined;
    if (
      !metadata ||
      (typeof metadata.name !== 'string' && typeof metadata.generateName !== 'string')
    ) {
      problems.push({ path: ['metadata'], message: 'missing required field "metadata.name"' });
    }
    const validate = this.validators[validatorExportName(apiVersion, kind)];
    const unserved = validate ? undefined : unservedCrdVersionProblem(apiVersion, kind);
    // A bundled CRD's kind at another version: known, and refused (not "no schema").
    if (unserved)
      return { known: true, problems: [...problems, { path: ['apiVersion'], message: unserved }] };
    if (!validate) return { known: false, problems };
    if (!validate(object)) problems.push(...toProblems(validate.errors ?? [], object));
    return { known: true, problems };
  }
}
