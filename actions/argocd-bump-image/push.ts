/**
 * One push of our commit, and what became of it. A push can be interrupted after the server
 * took it (the job cancelled, git killed by its deadline, the connection dropped before the
 * answer): then the commit may be on the branch although git never said so. Before reporting,
 * the remote is asked where the branch is (`git ls-remote`, its own short deadline, not the
 * aborted signal), so the outputs never say "nothing changed" about a commit that landed.
 */
import { errorMessage } from '../../shared/errors.ts';
import type { Git } from '../../shared/git.ts';
import { checkedServerString, GIT_COMMIT } from '../../shared/server-values.ts';

/** How long asking the remote about an interrupted push may take. */
export const CONFIRM_DEADLINE_MS = 20_000;

export type PushResult =
  /** On the branch. `interrupted`: git did not finish, the remote shows the commit anyway. */
  | { state: 'pushed'; interrupted?: string }
  /** Someone else moved the branch first: fetch, re-apply, retry. */
  | { state: 'race'; detail: string }
  /** Not on the branch (git was refused, or the remote shows the branch without it). */
  | { state: 'not-pushed'; detail: string; rejected?: string; interrupted?: string }
  /** The push was interrupted and the remote could not be asked. */
  | { state: 'unknown'; detail: string; interrupted: string };

/**
 * Pushes HEAD (`sha`, made on top of `base`) to `branch`. `base` is undefined when the
 * branch did not exist on the remote.
 */
export async function pushAndConfirm(
  git: Git,
  branch: string,
  sha: string,
  base: string | undefined,
  signal: AbortSignal,
): Promise<PushResult> {
  let detail = '';
  try {
    const outcome = await git.push(branch);
    if (outcome.ok) return { state: 'pushed' };
    if (outcome.race) return { state: 'race', detail: outcome.detail };
    // The server answered: the ref was not updated, or it refused the token.
    if (outcome.refused || outcome.rejected) {
      return {
        state: 'not-pushed',
        detail: outcome.detail,
        ...(outcome.rejected ? { rejected: outcome.rejected } : {}),
      };
    }
    detail = outcome.detail;
  } catch (error) {
    detail = errorMessage(error);
  }
  const interrupted = signal.aborted
    ? `the job was cancelled (${String(signal.reason)}) while git push ran`
    : `git push failed without an answer from the server (${detail.split('\n').at(-1) ?? ''})`;
  let tip: string | undefined;
  try {
    const answer = await git.remoteBranchTip(branch, CONFIRM_DEADLINE_MS);
    tip =
      answer === undefined ? undefined : checkedServerString(answer, GIT_COMMIT, 'git ls-remote');
  } catch (error) {
    return {
      state: 'unknown',
      detail: `asking the remote where ${branch} is failed too: ${errorMessage(error)}`,
      interrupted,
    };
  }
  if (tip === sha) return { state: 'pushed', interrupted };
  if (tip === undefined || tip === base) {
    return {
      state: 'not-pushed',
      detail: `the remote shows ${branch} ${tip ? `still at ${tip}` : 'absent'}`,
      interrupted,
    };
  }
  return {
    state: 'unknown',
    detail: `the remote shows ${branch} at ${tip}, which is neither our commit nor the one it was based on (another writer pushed since)`,
    interrupted,
  };
}
