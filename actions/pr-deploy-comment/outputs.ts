import * as core from '@actions/core';
import { errorMessage, InputError } from '../../shared/errors.ts';
import { coreLogger } from '../../shared/logger.ts';
import { writeSummary } from '../../shared/summary.ts';
import type { CommentInputs } from './inputs.ts';
import { createOctokitApi } from './octokit.ts';
import { publishComment, type Changes } from './run.ts';
import { renderSection } from './render.ts';
import { changeList, commentSummary } from './summary.ts';

function repository(env: NodeJS.ProcessEnv): { owner: string; repo: string } {
  const [owner, repo, ...rest] = (env.GITHUB_REPOSITORY ?? '').split('/');
  const part = /^[A-Za-z0-9-_.]+$/;
  if (!owner || !repo || rest.length > 0 || !part.test(owner) || !part.test(repo)) {
    throw new InputError(
      `GITHUB_REPOSITORY must be owner/repo (got "${env.GITHUB_REPOSITORY ?? ''}"): run this action in a GitHub Actions job.`,
    );
  }
  return { owner, repo };
}

/** Runs the logic with the runner's dependencies and maps the result to outputs and the summary. */
export async function main(inputs: CommentInputs, signal: AbortSignal): Promise<void> {
  coreLogger.secret(inputs.token);
  const env = process.env;
  const { owner, repo } = repository(env);
  const deadline = Date.now() + inputs.timeoutMs;
  const requestSignal = AbortSignal.any([signal, AbortSignal.timeout(inputs.timeoutMs)]);
  const api = createOctokitApi({
    token: inputs.token,
    owner,
    repo,
    baseUrl: env.GITHUB_API_URL || 'https://api.github.com',
    serverUrl: env.GITHUB_SERVER_URL || 'https://github.com',
    logger: coreLogger,
    signal: requestSignal,
    deadline,
    timeoutMs: inputs.timeoutMs,
  });
  const changes: Changes = { deleted: [], minimized: [] };
  const result = await core
    .group(`Publish the ${inputs.mode} comment "${inputs.key}"`, () =>
      publishComment(inputs, { api, logger: coreLogger, env, now: () => new Date() }, changes),
    )
    .catch(async (error: unknown) => {
      // The report still reaches the job summary: the deployment facts are not lost, and
      // whatever was changed on the PR before the failure is said.
      const { section } = renderSection(inputs, { now: new Date() });
      const changed = changeList(changes);
      await writeSummary(
        `${section}\n\n❌ pr-deploy-comment: the comment was not published: ${errorMessage(error)}\n\n${changed.length ? `Changed before the failure: ${changed.join('; ')}.` : 'Nothing was changed on the pull request.'}\n`,
      );
      throw error;
    });
  const o = result.outcome;
  if (o.kind === 'posted') {
    core.setOutput('comment-id', String(o.comment.id));
    core.setOutput('comment-url', o.comment.htmlUrl);
    coreLogger.info(`Comment ${o.comment.id} ${o.action}: ${o.comment.htmlUrl}`);
  } else {
    core.setOutput('comment-id', '');
    core.setOutput('comment-url', '');
    if (o.kind === 'no-pull-request')
      core.notice(`pr-deploy-comment: no comment posted: ${o.reason}.`);
    else core.warning(`pr-deploy-comment: no comment posted: ${o.message}`);
  }
  await writeSummary(commentSummary(result));
}
