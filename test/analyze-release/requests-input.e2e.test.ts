/**
 * A `requests` line that is not JSON fails the real bundle with an error naming the input and
 * the line's number only: request bodies may hold credentials and are not masked, so nothing
 * of the line reaches the log (JSON.parse's own message quotes the line's start).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startModelServer, type ModelServer } from '../harness/fakes/model-server.ts';
import { lastError, runAction } from '../harness/runner.ts';

/** A credential in a malformed line: JSON.parse would quote `{"token": sk-live-7f`. */
const SECRET = 'sk-live-7f3a9c';
const BAD_LINE = `{"token": ${SECRET}}`;

let model: ModelServer;
let workspace: string;

beforeAll(async () => {
  model = await startModelServer({ delayMs: 1 });
  workspace = mkdtempSync(path.join(tmpdir(), 'analyze-requests-'));
  writeFileSync(path.join(workspace, 'bodies.jsonl'), `{"a": 1}\n\n${BAD_LINE}\n`);
});

afterAll(async () => {
  await model?.close();
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

describe('analyze-release: a requests line that is not JSON (bundle)', () => {
  it('inline: the input and line number are named, the line is not in the log, nothing is sent', async () => {
    const r = await runAction('analyze-release', {
      inputs: { url: model.url, requests: `{"a": 1}\n${BAD_LINE}`, duration: '1s', warmup: '0s' },
    });
    expect(r.exitCode).toBe(1);
    expect(lastError(r)).toBe(
      `analyze-release: Input 'requests' line 2 must be a JSON request body (JSON Lines: one body per line; or the whole input one JSON body); the line is not shown: it may hold a credential.`,
    );
    expect(r.log).not.toContain('sk-live');
    expect(r.summary).not.toContain('sk-live');
    expect(model.requests).toBe(0);
  }, 60_000);

  it('a file: its line number counts blank lines, and the line is not in the log', async () => {
    const r = await runAction('analyze-release', {
      inputs: { url: model.url, requests: 'bodies.jsonl', duration: '1s', warmup: '0s' },
      workspace,
    });
    expect(r.exitCode).toBe(1);
    expect(lastError(r)).toBe(
      `analyze-release: Input 'requests' (file "bodies.jsonl") line 3 must be a JSON request body (JSON Lines: one body per line); the line is not shown: it may hold a credential.`,
    );
    expect(r.log).not.toContain('sk-live');
    expect(model.requests).toBe(0);
  }, 60_000);
});
