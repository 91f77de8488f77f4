import { describe, expect, it } from '@jest/globals';
import { neutraliseCommands } from '../../shared/commands.ts';
import {
  checkedServerInteger,
  checkedServerString,
  DIGEST,
  GIT_COMMIT,
  OPAQUE_ID,
  ServerValueError,
} from '../../shared/server-values.ts';

describe('server values are checked against their grammar', () => {
  it.each([
    ['a digest with a second word', DIGEST, `sha256:${'a'.repeat(64)} latest`],
    ['a digest climbing directories', DIGEST, 'sha256:../../evil'],
    ['an upper-case digest', DIGEST, `sha256:${'A'.repeat(64)}`],
    ['a short commit', GIT_COMMIT, 'abc123'],
    ['a commit with a newline', GIT_COMMIT, `${'a'.repeat(40)}\n::error::x`],
    ['a run id with a path', OPAQUE_ID, 'x/../../etc'],
    ['a run id that is a dot file', OPAQUE_ID, '.hidden'],
    ['a number where a string is due', OPAQUE_ID, 12],
  ])('refuses %s', (_name, grammar, value) => {
    expect(() => checkedServerString(value, grammar, 'the field')).toThrow(ServerValueError);
    expect(() => checkedServerString(value, grammar, 'the field')).toThrow(
      /^the field from the server is not a valid value \(got .*\); refusing to use it$/,
    );
  });

  it.each([
    [DIGEST, `sha256:${'0f'.repeat(32)}`],
    [DIGEST, `sha512:${'a'.repeat(128)}`],
    [GIT_COMMIT, 'a'.repeat(40)],
    [GIT_COMMIT, 'b'.repeat(64)],
    [OPAQUE_ID, '8c4d5e3a-2f1b-4c7d-9e0f-1a2b3c4d5e6f'],
  ])('accepts %s %s', (grammar, value) => {
    expect(checkedServerString(value, grammar, 'x')).toBe(value);
  });

  it('shows a refused value quoted and cut, so control characters stay visible', () => {
    expect(() => checkedServerString('a\nb'.repeat(50), OPAQUE_ID, 'KFP run_id')).toThrow(
      /got "a\\nba\\nb.*…\)/,
    );
  });

  it('integers: positive safe integers only', () => {
    expect(checkedServerInteger(42, 'comment id')).toBe(42);
    for (const bad of [0, -1, 1.5, '42', 2 ** 60, null]) {
      expect(() => checkedServerInteger(bad, 'comment id')).toThrow(/comment id from the server/);
    }
  });
});

describe('neutraliseCommands', () => {
  it('no line of server text can start a workflow command', () => {
    const hostile = 'Degraded\n::error::pwned\n  ::add-mask::x\nok ##[error]old style';
    const safe = neutraliseCommands(hostile);
    for (const line of safe.split('\n')) {
      expect(line.trimStart().startsWith('::')).toBe(false);
      expect(line).not.toContain('##[');
    }
    // What a person reads is the same text, less the invisible breaks.
    expect(safe.replace(/\u200b/g, '')).toBe(hostile);
  });

  it('leaves ordinary text alone', () => {
    expect(neutraliseCommands('Synced at abc: a::b')).toBe('Synced at abc: a::b');
  });
});

describe('withRetry: a cancelled job ends the wait between attempts', () => {
  it('rejects as soon as the signal aborts, not after the server-requested minute', async () => {
    const { withRetry } = await import('../../shared/retry.ts');
    const { systemClock } = await import('../../shared/clock.ts');
    const controller = new AbortController();
    let calls = 0;
    const run = withRetry(
      async () => {
        calls++;
        throw new Error('busy');
      },
      () => ({ retry: true, delayMs: 60_000 }),
      {
        clock: systemClock,
        signal: controller.signal,
        // The retry is announced just before the sleep starts: abort then.
        onRetry: () => setImmediate(() => controller.abort('SIGTERM')),
      },
    );
    await expect(run).rejects.toThrow(/aborted/i);
    expect(calls).toBe(1);
  });
});

describe('codeBlock: server text cannot close its fence', () => {
  it('uses a fence longer than any run of backticks in the text', async () => {
    const { codeBlock } = await import('../../shared/summary.ts');
    const hostile = 'error\n````\n<img src=x> @org/admins\n````';
    const block = codeBlock(hostile);
    const fence = block.split('\n')[0]!;
    expect(fence).toBe('`````');
    // The only lines that are exactly the fence are the opening and closing ones.
    expect(block.split('\n').filter((l) => l === fence)).toHaveLength(2);
    expect(codeBlock('plain')).toBe('```\nplain\n```');
  });
});
