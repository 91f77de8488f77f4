/**
 * `npm run docs`: regenerates the Inputs/Outputs tables of every <action>/README.md from
 * its action.yml (between `<!-- inputs -->`/`<!-- /inputs -->` and `<!-- outputs -->`/
 * `<!-- /outputs -->`). `--check` fails when a README has drifted (run in the tests).
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface ActionYaml {
  inputs?: Record<string, { description?: string; required?: boolean; default?: string }>;
  outputs?: Record<string, { description?: string }>;
}

function cell(text: string): string {
  return text
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ')
    .trim();
}

export function inputsTable(meta: ActionYaml): string {
  const rows = Object.entries(meta.inputs ?? {}).map(
    ([name, i]) =>
      `| \`${name}\` | ${i.required ? 'yes' : 'no'} | ${i.default ? `\`${cell(i.default)}\`` : ''} | ${cell(i.description ?? '')} |`,
  );
  return [
    '| Input | Required | Default | Description |',
    '| --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

export function outputsTable(meta: ActionYaml): string {
  const rows = Object.entries(meta.outputs ?? {}).map(
    ([name, o]) => `| \`${name}\` | ${cell(o.description ?? '')} |`,
  );
  return ['| Output | Description |', '| --- | --- |', ...rows].join('\n');
}

function replaceBetween(text: string, marker: string, content: string, file: string): string {
  const start = `<!-- ${marker} -->`;
  const end = `<!-- /${marker} -->`;
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`${file}: missing ${start} … ${end} markers`);
  return `${text.slice(0, a + start.length)}\n${content}\n${text.slice(b)}`;
}

export function actionDirs(): string[] {
  return readdirSync(root)
    .filter((d) => existsSync(path.join(root, d, 'action.yml')))
    .sort();
}

/** Returns the README files whose tables differ from action.yml (after writing them unless check). */
export function syncReadmes(check: boolean): string[] {
  const drifted: string[] = [];
  for (const dir of actionDirs()) {
    const meta = parse(readFileSync(path.join(root, dir, 'action.yml'), 'utf8')) as ActionYaml;
    const readme = path.join(root, dir, 'README.md');
    const text = existsSync(readme) ? readFileSync(readme, 'utf8') : '';
    let next = replaceBetween(text, 'inputs', inputsTable(meta), readme);
    next = replaceBetween(next, 'outputs', outputsTable(meta), readme);
    if (next !== text) {
      drifted.push(path.relative(root, readme));
      if (!check) writeFileSync(readme, next);
    }
  }
  return drifted;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const check = process.argv.includes('--check');
  const drifted = syncReadmes(check);
  if (check && drifted.length) {
    console.error(`README tables differ from action.yml: ${drifted.join(', ')}. Run npm run docs.`);
    process.exit(1);
  }
  console.log(drifted.length ? `updated ${drifted.join(', ')}` : 'README tables are up to date');
}
