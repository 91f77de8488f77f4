/**
 * The bundled credential command (`auth-mode: exec` when no provider plugin is on PATH):
 * kubectl runs `node exec-credential/index.js <config.json>` and reads an ExecCredential
 * from stdout. Tokens are cached beside the config until a minute before they expire, so a
 * job running many kubectl commands mints one token per validity period.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { systemClock } from '../../shared/clock.ts';
import { execCredentialMain } from './exec-credential.ts';

export async function run(): Promise<void> {
  process.exitCode = await execCredentialMain(process.argv.slice(2), process.env, {
    readFile: (p) => readFile(p, 'utf8'),
    writeFile: (p, text) => writeFile(p, text, { mode: 0o600 }),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    clock: systemClock,
  });
}
