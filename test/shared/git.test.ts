import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  processRunner,
  type CommandResult,
  type CommandRunner,
  type RunOptions,
} from '../../shared/exec.ts';
import { InputError } from '../../shared/errors.ts';
import {
  basicAuthHeader,
  classifyPushFailure,
  credentialRejection,
  Git,
} from '../../shared/git.ts';

class RecordingRunner implements CommandRunner {
  readonly calls: { command: string; args: readonly string[]; options: RunOptions }[] = [];
  private readonly answer: CommandResult;
  constructor(answer: CommandResult = { exitCode: 0, stdout: '', stderr: '' }) {
    this.answer = answer;
  }
  async run(
    command: string,
    args: readonly string[],
    options: RunOptions = {},
  ): Promise<CommandResult> {
    this.calls.push({ command, args, options });
    return this.answer;
  }
}

const TOKEN = 'ghs_secret0123456789';

describe('Git', () => {
  it('sends the token as an extraheader in GIT_CONFIG_* env, never on the command line', async () => {
    const runner = new RecordingRunner();
    const git = new Git(runner, {
      cwd: '/tmp/clone',
      auth: { origin: 'https://github.com', token: TOKEN },
      env: {
        PATH: '/bin',
        GIT_CONFIG_COUNT: '1',
        GIT_CONFIG_KEY_0: 'core.sshCommand',
        GIT_CONFIG_VALUE_0: 'evil',
      },
    });
    await git.cloneShallow('https://github.com/o/r.git', 'main');
    const call = runner.calls[0];
    expect(call?.args).toEqual([
      'clone',
      '--quiet',
      '--no-tags',
      '--single-branch',
      '--depth=1',
      '--branch',
      'main',
      '--',
      'https://github.com/o/r.git',
      '/tmp/clone',
    ]);
    expect(JSON.stringify(call?.args)).not.toContain(TOKEN);
    const env = call?.options.env ?? {};
    const config = Object.fromEntries(
      Array.from({ length: Number(env.GIT_CONFIG_COUNT) }, (_, i) => [
        env[`GIT_CONFIG_KEY_${i}`],
        env[`GIT_CONFIG_VALUE_${i}`],
      ]),
    );
    expect(config['http.https://github.com/.extraheader']).toBe(basicAuthHeader(TOKEN));
    expect(basicAuthHeader(TOKEN)).toBe(
      `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${TOKEN}`).toString('base64')}`,
    );
    expect(config['credential.helper']).toBe('');
    expect(config['core.sshCommand']).toBeUndefined();
    expect(env.GIT_TERMINAL_PROMPT).toBe('0');
  });

  it('never force-pushes; a rejected push is classified', async () => {
    const rejected = new RecordingRunner({
      exitCode: 1,
      stdout: 'To http://h/r.git\n!\tHEAD:refs/heads/main\t[rejected] (fetch first)\nDone\n',
      stderr: 'error: failed to push some refs',
    });
    const outcome = await new Git(rejected, { cwd: '/c' }).push('main');
    expect(outcome).toMatchObject({ ok: false, race: true });
    expect(rejected.calls[0]?.args).toEqual([
      'push',
      '--porcelain',
      '--no-verify',
      'origin',
      'HEAD:refs/heads/main',
    ]);
    expect(rejected.calls.flatMap((c) => c.args).some((a) => /force|^\+/.test(a))).toBe(false);
  });

  it.each([
    ['remote moved', '!\tHEAD:refs/heads/main\t[rejected] (fetch first)', true],
    ['non-fast-forward', '!\tHEAD:refs/heads/main\t[rejected] (non-fast-forward)', true],
    [
      'a concurrent push held the lock',
      '!\tHEAD:refs/heads/main\t[remote rejected] (failed to update ref)',
      true,
    ],
    [
      'lock file',
      "error: cannot lock ref 'refs/heads/main': is at 1234abcd but expected 5678ef00",
      true,
    ],
    [
      '403',
      "fatal: unable to access 'http://h/r.git/': The requested URL returned error: 403",
      false,
    ],
    [
      'protected branch',
      '!\tHEAD:refs/heads/main\t[remote rejected] (protected branch hook declined)',
      false,
    ],
  ])('%s', (_name, output, race) => {
    expect(classifyPushFailure(output).race).toBe(race);
  });

  it('cancellation kills a running git command (a clone from a server that never answers)', async () => {
    const sockets: Socket[] = [];
    let connected!: () => void;
    const connection = new Promise<void>((resolve) => (connected = resolve));
    const closed: Promise<void>[] = [];
    const server = createServer((socket) => {
      sockets.push(socket);
      socket.resume(); // read, so the peer's close is seen
      closed.push(new Promise((resolve) => socket.on('close', () => resolve())));
      connected();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const dir = mkdtempSync(path.join(tmpdir(), 'git-cancel-'));
    const controller = new AbortController();
    try {
      const git = new Git(processRunner, {
        cwd: path.join(dir, 'clone'),
        signal: controller.signal,
        timeoutMs: 60_000,
      });
      const clone = git.cloneShallow(`http://127.0.0.1:${port}/o/r.git`, 'main');
      await connection;
      controller.abort('SIGINT');
      await expect(clone).rejects.toThrow(/git stopped/);
      // git is gone: its connection closes without the server closing it.
      await Promise.all(closed);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a commit starts no `git maintenance` (a retried push would start two per attempt)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'git-maintenance-'));
    try {
      const git = new Git(processRunner, { cwd: dir });
      await git.run(['init', '--quiet', dir], { cwd: '/' });
      writeFileSync(path.join(dir, 'a.yaml'), 'image: a\n');
      await git.run(['add', 'a.yaml']);
      const author = { name: 'ci', email: 'ci@example.com' };
      // GIT_TRACE lists every program git starts: `run_command: git maintenance run --auto`.
      const traced = await git.run(['commit', '--quiet', '-m', 'one'], {
        env: {
          GIT_TRACE: '1',
          GIT_AUTHOR_NAME: author.name,
          GIT_AUTHOR_EMAIL: author.email,
          GIT_COMMITTER_NAME: author.name,
          GIT_COMMITTER_EMAIL: author.email,
        },
      });
      expect(traced.stderr).toContain('built-in: git commit');
      expect(traced.stderr).not.toContain('maintenance');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('credentialRejection', () => {
  it.each([
    [
      "git's words for a 401 with prompts off",
      "fatal: could not read Username for 'https://github.com': terminal prompts disabled",
      401,
    ],
    [
      'a rejected helper credential',
      "fatal: Authentication failed for 'https://git.example.com/org/x.git/'",
      401,
    ],
    [
      'a 403',
      "fatal: unable to access 'https://h/x.git/': The requested URL returned error: 403",
      403,
    ],
    [
      'a 500 is not about the token',
      'fatal: unable to access: The requested URL returned error: 500',
      undefined,
    ],
  ])('%s', (_name, stderr, status) => {
    expect(credentialRejection(stderr)).toBe(status);
  });

  it('the rejection names the input and the host, never the token', async () => {
    const runner = new RecordingRunner({
      exitCode: 128,
      stdout: '',
      stderr:
        "fatal: could not read Username for 'https://git.example.com': terminal prompts disabled",
    });
    const git = new Git(runner, {
      cwd: '/tmp/clone',
      auth: { origin: 'https://git.example.com', token: TOKEN, input: 'config-token' },
    });
    const error = await git
      .cloneShallow('https://git.example.com/org/x.git', 'main')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(String(error)).toContain(
      "Input 'config-token': the git server git.example.com rejected the token (HTTP 401)",
    );
    expect(String(error)).not.toContain(TOKEN);
  });
});
