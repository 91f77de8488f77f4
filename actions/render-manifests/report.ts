/**
 * render-manifests' types: the context its phases get (inputs and injected dependencies), the
 * report they fill in, and the result the report gives (outputs, summary, tests).
 */
import type { LocatedError } from '../../shared/errors.ts';
import type { CommandRunner } from '../../shared/exec.ts';
import type { ManifestSource } from '../../shared/files.ts';
import type { Logger } from '../../shared/logger.ts';
import type { PhaseContextBase, PhaseReport } from '../../shared/phases.ts';
import type { SourceDocument } from '../../shared/yaml.ts';
import type { ImageOverride } from './images.ts';
import type { RenderInputs } from './inputs.ts';

export interface RenderDeps {
  runner: CommandRunner;
  logger: Logger;
  /** Returns the kubectl to build kustomizations with (default: PATH, else pinned download). */
  kubectl?: () => Promise<string>;
}

export interface RenderContext extends PhaseContextBase, RenderDeps {
  inputs: RenderInputs;
}

export interface ResourceId {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export interface RenderedDocument {
  id: ResourceId;
  source: string;
  line: number | undefined;
  text: string;
}

export interface RenderResult {
  manifestsPath: string;
  resources: ResourceId[];
  images: string[];
  checksum: string;
  documents: RenderedDocument[];
  /** Kinds with no schema (not validated), as `apiVersion/kind`. */
  unvalidated: string[];
  warnings: string[];
  /** `${NAME}` references left unsubstituted (warned at their file:line), as `file:line ${NAME}`. */
  unresolved: string[];
}

export interface LoadedText {
  source: ManifestSource;
  /** The file annotations point at. */
  file: string;
  text: string;
  /** Lines of `text` match the file (false for kustomize output). */
  hasLines: boolean;
}

/** One YAML document on its way through the phases. */
export interface DocumentEntry {
  loaded: LoadedText;
  source: SourceDocument;
  /** Keys of `vars` whose values went into this document: messages name them, never the values. */
  usedKeys: Set<string>;
  /** A placeholder or `${NAME}` was replaced (the document is re-serialised). */
  substituted: boolean;
}

/** A rendered object still to be checked against its schema. */
export interface PendingValidation {
  object: Record<string, unknown>;
  report: (message: string, path: (string | number)[]) => void;
}

export interface RenderReport extends PhaseReport {
  sources: ManifestSource[];
  texts: LoadedText[];
  entries: DocumentEntry[];
  /** Problems in the manifests: any one means nothing is written. */
  errors: LocatedError[];
  /** `${NAME}` references left as they are ('vars' empty). */
  unresolved: LocatedError[];
  placeholderCount: number;
  toValidate: PendingValidation[];
  documents: RenderedDocument[];
  /** Object key → where it was first defined (duplicates are errors). */
  seen: Map<string, string>;
  usedOverrides: Set<ImageOverride>;
  unvalidated: Set<string>;
  images: Set<string>;
  warnings: string[];
  /** What the summary says the objects were checked against. */
  checks: Pick<RenderInputs, 'validate' | 'kubernetesVersion'>;
  /** Set once the file is written. */
  written?: { manifestsPath: string; checksum: string };
}

export function emptyRenderReport(inputs: RenderInputs): RenderReport {
  return {
    phases: [],
    checks: { validate: inputs.validate, kubernetesVersion: inputs.kubernetesVersion },
    sources: [],
    texts: [],
    entries: [],
    errors: [],
    unresolved: [],
    placeholderCount: 0,
    toValidate: [],
    documents: [],
    seen: new Map(),
    usedOverrides: new Set(),
    unvalidated: new Set(),
    images: new Set(),
    warnings: [],
  };
}

/** The result a finished report gives; undefined before the file is written. */
export function renderResult(report: RenderReport): RenderResult | undefined {
  if (!report.written) return undefined;
  return {
    ...report.written,
    resources: report.documents.map((d) => d.id),
    images: [...report.images].sort(),
    documents: report.documents,
    unvalidated: [...report.unvalidated],
    warnings: report.warnings,
    unresolved: report.unresolved.map((u) =>
      u.message.slice(0, u.message.indexOf(' is not substituted')),
    ),
  };
}
