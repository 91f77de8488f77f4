/**
 * The two workflow commands the start-up path needs, written without @actions/core:
 * its import loads undici through the OIDC client (~100 ms, measured by `npm run bench`),
 * which would triple the cold start of a step that fails on its inputs. Escaping follows
 * the runner's protocol exactly as @actions/core does (command.ts: escapeData/escapeProperty).
 */
import { EOL } from 'node:os';

function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export type CommandProperties = Record<string, string | number | undefined>;

export function issueCommand(
  command: string,
  properties: CommandProperties,
  message: string,
): void {
  const props = Object.entries(properties)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(',');
  process.stdout.write(`::${command}${props ? ` ${props}` : ''}::${escapeData(message)}${EOL}`);
}

/** As core.setFailed: an error annotation and a failing exit code. */
export function setFailed(message: string): void {
  process.exitCode = 1;
  issueCommand('error', {}, message);
}

/** As core.getInput: `INPUT_<NAME>` (spaces to underscores, upper case, hyphens kept), trimmed. */
export function readInput(name: string): string {
  return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

/**
 * Text from elsewhere (a server's message, a program's output) as a log line that cannot start
 * a workflow command: the runner reads a line starting with `::` (after any indentation) as a
 * v2 command and `##[` anywhere as a v1 one, so a KFP state or an Argo CD message holding
 * `\n::error::…` or `::add-mask::` would otherwise act. A zero-width space breaks the
 * marker; what a person reads is unchanged.
 */
export function neutraliseCommands(text: string): string {
  return text.replace(/^(\s*):(?=:)/gm, '$1:\u200b').replace(/##\[/g, '##\u200b[');
}
