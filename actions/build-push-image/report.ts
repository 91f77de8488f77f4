/**
 * build-push-image's typed report: what the phases found and did. The outputs, the job summary
 * and the post step's state are all derived from it.
 */
import { InputError } from '../../shared/errors.ts';
import type { ActionOutputs } from '../../shared/define-action.ts';
import type { PhaseReport } from '../../shared/phases.ts';
import type { Builder } from './inputs.ts';
import type { Finding } from './scan.ts';

/** The phases in the order they run (run.ts lists the functions). */
export const PHASE_NAMES = [
  'resolve',
  'login',
  'check-existing',
  'build',
  'push',
  'confirm',
  'scan',
  'report',
] as const;
export type PhaseName = (typeof PHASE_NAMES)[number];

export interface BuildReport extends PhaseReport {
  /** The `image` input: registry host + repository. */
  image: string;
  builder?: Builder;
  tags: string[];
  refs: string[];
  digest?: string;
  imageRef?: string;
  skipped: boolean;
  pushed: boolean;
  size?: number;
  buildMs?: number;
  cacheHits?: { cached: number; steps: number };
  loginVia?: string;
  relogins: number;
  findings?: Finding[];
  scanFailed?: string[];
  /** The builder's error lines when it failed. */
  errorLines?: string[];
  /** The temporary docker config directory holding credentials (the post step removes it). */
  configDir?: string;
}

export function newReport(image: string): BuildReport {
  return { phases: [], image, tags: [], refs: [], skipped: false, pushed: false, relogins: 0 };
}

/**
 * The phase a run stopped in: the one that failed, else the one a cancelled run was about to
 * start (every phase that ran or was skipped has a record, in order).
 */
export function stoppedIn(report: BuildReport): PhaseName {
  const failed = report.phases.find((p) => p.outcome === 'failed');
  if (failed) return failed.name as PhaseName;
  return PHASE_NAMES[report.phases.length] ?? 'report';
}

/** The step's outputs; a bad input (a missing Dockerfile) changed nothing: no outputs. */
export function reportOutputs(report: BuildReport, error?: unknown): ActionOutputs {
  if (error instanceof InputError) return {};
  return {
    image: report.refs[0] ?? '',
    tags: report.refs.join('\n'),
    digest: report.digest ?? '',
    'image-ref': report.imageRef ?? '',
    skipped: String(report.skipped),
  };
}
