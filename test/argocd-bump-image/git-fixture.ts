/**
 * The real-git setup argocd-bump-image's end-to-end tests share: one `git http-backend` server
 * for the file (Basic auth with the given tokens), a fresh bare repository per test, and the
 * bundle run with the push token.
 */
import { afterAll, beforeAll } from '@jest/globals';
import { startGitServer, type GitServer } from '../harness/git-server.ts';
import { runAction, type ActionRunResult } from '../harness/runner.ts';

export interface GitFixture {
  /** The server, once beforeAll has run. */
  server(): GitServer;
  /** A new repository holding `files`: its clone URL and its bare directory. */
  repo(files: Record<string, string>): { url: string; bare: string };
  /** dist/argocd-bump-image with `token` (the push token) and `inputs`. */
  bump(inputs: Record<string, string>): Promise<ActionRunResult>;
}

/** Registers the server's beforeAll/afterAll; `prefix` names the repositories. */
export function gitFixture(
  prefix: string,
  tokens: { push: string; readOnly?: string[] },
): GitFixture {
  let git: GitServer | undefined;
  beforeAll(async () => {
    git = await startGitServer({
      tokens: [tokens.push],
      ...(tokens.readOnly ? { readOnlyTokens: tokens.readOnly } : {}),
    });
  });
  afterAll(async () => {
    await git?.stop();
  });
  const server = (): GitServer => {
    if (!git) throw new Error('the git server starts in beforeAll');
    return git;
  };
  let seq = 0;
  return {
    server,
    repo: (files) => {
      const name = `org/${prefix}-${++seq}`;
      const url = server().createRepo(name, files);
      return { url, bare: server().repoPath(name) };
    },
    bump: (inputs) =>
      runAction('argocd-bump-image', {
        inputs: { token: tokens.push, ...inputs },
        timeoutMs: 120_000,
      }),
  };
}
