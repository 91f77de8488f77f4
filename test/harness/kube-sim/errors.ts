/** API errors rendered as metav1.Status. */
import type { ResourceDef } from './resources.ts';
import { qualifiedName } from './resources.ts';

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: { reason?: string; message: string; field?: string; type?: string }[];
  retryAfterSeconds?: number;
}

export class ApiError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly details: StatusDetails | undefined;
  readonly headers: Record<string, string>;

  constructor(
    code: number,
    reason: string,
    message: string,
    details?: StatusDetails,
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.details = details;
    this.headers = headers;
  }

  toStatus(): Record<string, unknown> {
    const s: Record<string, unknown> = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (this.details) s.details = this.details;
    return s;
  }
}

export function notFound(r: ResourceDef, name: string): ApiError {
  return new ApiError(404, 'NotFound', `${qualifiedName(r)} "${name}" not found`, {
    name,
    group: r.group,
    kind: r.plural,
  });
}

export function alreadyExists(r: ResourceDef, name: string): ApiError {
  return new ApiError(409, 'AlreadyExists', `${qualifiedName(r)} "${name}" already exists`, {
    name,
    group: r.group,
    kind: r.plural,
  });
}

export function conflict(r: ResourceDef, name: string): ApiError {
  return new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedName(r)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, group: r.group, kind: r.plural },
  );
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, 'BadRequest', message);
}

export function invalid(r: ResourceDef, name: string, field: string, detail: string): ApiError {
  const kind = r.kind;
  return new ApiError(
    422,
    'Invalid',
    `${kind}.${r.group ? r.group + ' ' : ''}"${name}" is invalid: ${field}: ${detail}`.replace(
      `${kind}. `,
      `${kind} `,
    ),
    {
      name,
      group: r.group,
      kind,
      causes: [{ reason: 'FieldValueInvalid', message: detail, field }],
    },
  );
}
