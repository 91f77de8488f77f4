/**
 * Which of an Argo CD application's sources is the config repository this action writes,
 * and the revisions Argo CD reports there. A multi-source application (`spec.sources`, e.g.
 * a Helm chart from a chart repository and its values from the config repository) reports
 * `status.sync.revisions[i]` per source instead of `status.sync.revision`.
 */
import { InputError } from '../../shared/errors.ts';
import { checkedServerString, GIT_COMMIT } from '../../shared/server-values.ts';
import type { ArgoApplication, ArgoSource, SyncTarget } from './argocd.ts';

/** Where our repository sits in the application. */
export interface OurSources {
  /** 1-based positions in `spec.sources`; undefined for a single-source application. */
  positions?: number[];
}

/**
 * A repository URL as Argo CD compares them (util/git NormalizeGitURL: lower case, no `.git`,
 * `git@host:path` as `host/path`), then without scheme and user, so that the https URL this
 * action pushes to and the ssh URL Argo CD may pull from name the same repository.
 */
export function normaliseRepoUrl(url: string): string {
  let repo = url.trim().toLowerCase();
  const scp = /^(?:[^@/:]+@)?([^/:]+):(?!\/\/)(.+)$/.exec(repo);
  if (scp && !/^[a-z][a-z0-9+.-]*:\/\//.test(repo)) repo = `ssh://${scp[1]}/${scp[2]}`;
  repo = repo.replace(/\/+$/, '').replace(/\.git$/, '');
  try {
    const parsed = new URL(repo);
    return `${parsed.host}${parsed.pathname.replace(/\/+$/, '')}`;
  } catch {
    return repo;
  }
}

export function sameRepo(a: string, b: string): boolean {
  return normaliseRepoUrl(a) !== '' && normaliseRepoUrl(a) === normaliseRepoUrl(b);
}

/** Argo CD's ApplicationSpec.HasMultipleSources. */
function sourcesOf(app: ArgoApplication): ArgoSource[] | undefined {
  const spec = app.spec;
  return spec && !spec.sourceHydrator && (spec.sources?.length ?? 0) > 0 ? spec.sources : undefined;
}

/**
 * Our repository's place in `app`. A multi-source application without it fails (there is no
 * revision to wait for); a single source elsewhere only warns (it may be a mirror).
 */
export function locateOurSources(
  app: ArgoApplication,
  application: string,
  repoUrl: string,
  repoDisplay: string,
): OurSources & { warning?: string } {
  const sources = sourcesOf(app);
  if (!sources) {
    const url = app.spec?.source?.repoURL;
    if (url && !sameRepo(url, repoUrl)) {
      return {
        warning: `Argo CD application ${application} deploys from ${JSON.stringify(url)}, not ${repoDisplay}: it may never report the pushed commit.`,
      };
    }
    return {};
  }
  const positions = sources.flatMap((s, i) =>
    s.repoURL && sameRepo(s.repoURL, repoUrl) ? [i + 1] : [],
  );
  if (positions.length === 0) {
    const urls = sources.map((s) => JSON.stringify(s.repoURL ?? '')).join(', ');
    throw new InputError(
      `Input 'application': Argo CD application ${application} has ${sources.length} sources (${urls}) and none is ${repoDisplay}, the repository this action writes; point 'repository' at the repository one of its sources deploys from.`,
    );
  }
  return { positions };
}

/** The sync request for our commit: every source of ours at `sha`, the others as they are. */
export function syncTarget(sha: string, ours: OurSources): SyncTarget {
  if (!ours.positions) return { revision: sha };
  return { revisions: ours.positions.map(() => sha), sourcePositions: ours.positions };
}

/**
 * The revisions Argo CD reports at our source(s) in one revision holder (`status.sync`, the
 * operation, its result), each checked to be a git commit before anyone prints or compares
 * it; an absent or empty one is undefined.
 */
export function ourRevisions(
  holder: { revision?: string; revisions?: string[] } | undefined,
  ours: OurSources,
  what: string,
): (string | undefined)[] {
  const picked: [string, unknown][] = ours.positions
    ? ours.positions.map((p) => [`${what}.revisions[${p - 1}]`, holder?.revisions?.[p - 1]])
    : [[`${what}.revision`, holder?.revision]];
  return picked.map(([field, value]) =>
    value === undefined || value === ''
      ? undefined
      : checkedServerString(value, GIT_COMMIT, `Argo CD ${field}`),
  );
}
