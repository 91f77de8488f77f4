/**
 * `npm run build`: regenerates the Kubernetes schema data, compiles TypeScript to
 * .build/, then bundles every action entry with @vercel/ncc into dist/<action>/.
 * Entries are discovered by convention (scripts/entries.ts): actions/<a>/main.ts →
 * dist/<a>/index.js, actions/<a>/post.ts → dist/<a>/post/index.js,
 * actions/<a>/<name>.entry.ts → dist/<a>/<name>/index.js (e.g. a credential command).
 *
 * Every entry module exports `run()` and does nothing when imported (the layout of
 * actions/typescript-action, which `npx @github/local-action run` needs); the bundle starts
 * from a three-line starter generated beside the compiled entry that imports it, awaits
 * `run()` and exits once the event loop is empty (see exitWhenIdle). The build fails when an entry does not export `run`.
 *
 * Every emitted script (index.js and the NNN.index.js chunks of dynamic imports, which ncc
 * would leave unminified) is minified with terser and gets a .map beside it whose sources are
 * the TypeScript files, relative to the map (up two levels from dist/<action>/ to actions/… and node_modules/…). The maps
 * are line-level and carry no sourcesContent and no names (sources alone would triple the
 * size of dist/): they resolve against a checkout of this repository. index.js turns Node's
 * source map support on, so stack traces through the chunks show .ts lines.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { decode, encode, type SourceMapSegment } from '@jridgewell/sourcemap-codec';
import ncc from '@vercel/ncc';
import { minify, type MinifyOptions } from 'terser';
import { writeSchema } from './gen-k8s-schema.ts';
import { writeValidators } from './gen-validators.ts';
import { discoverEntries, type Entry } from './entries.ts';

const root = path.resolve(import.meta.dirname, '..');
const buildDir = path.join(root, '.build');
const distDir = path.join(root, 'dist');
/** Suffix of the generated starter beside each compiled entry: `<entry>.start.js`. */
const starterSuffix = '.start.js';

interface SourceMap {
  version: 3;
  file?: string;
  sourceRoot?: string;
  sources: string[];
  sourcesContent?: (string | null)[];
  names: string[];
  mappings: string;
}

/** Generated line of a .build/ file → first [source, line, column] tsc mapped on it. */
type LineTable = { sources: string[]; lines: ([number, number, number] | undefined)[] };
const lineTables = new Map<string, LineTable | undefined>();

/**
 * Where a line of a compiled file (repository-relative, under .build/) came from, as tsc's
 * source map says. ncc's maps are line-only (webpack `cheap-module-source-map`: every segment
 * at column 0) while tsc's first segment on an indented line is past column 0, so maps are
 * composed line by line rather than by exact position.
 */
function lineTable(buildFile: string): LineTable | undefined {
  if (lineTables.has(buildFile)) return lineTables.get(buildFile);
  let table: LineTable | undefined;
  const mapFile = path.join(root, buildFile + '.map');
  if (existsSync(mapFile)) {
    const map = JSON.parse(readFileSync(mapFile, 'utf8')) as SourceMap;
    const dir = path.posix.join(path.posix.dirname(buildFile), map.sourceRoot ?? '');
    table = {
      sources: map.sources.map((s) => path.posix.join(dir, s)),
      lines: decode(map.mappings).map((segments) => {
        const first = segments.find((s) => s.length >= 4);
        return first && [first[1]!, first[2]!, first[3]!];
      }),
    };
  }
  lineTables.set(buildFile, table);
  return table;
}

/**
 * ncc's map of one emitted script, rewritten to point at the repository's own files: a
 * compiled .build/ file maps through tsc's map to its .ts source, a copied one (generated
 * JavaScript, data) to the file it was copied from, node_modules stays node_modules. Sources
 * are made relative to `outDir`; webpack's runtime and externals become webpack:/// URLs.
 */
function toSourceFiles(
  map: SourceMap,
  outDir: string,
): Omit<SourceMap, 'mappings'> & { mappings: SourceMapSegment[][] } {
  const toRoot = path.relative(outDir, root).split(path.sep).join('/');
  const sources: string[] = [];
  const index = new Map<string, number>();
  const sourceIndex = (source: string): number => {
    let i = index.get(source);
    if (i === undefined) index.set(source, (i = sources.push(source) - 1));
    return i;
  };
  type Origin = { file: number } | { table: LineTable; sources: number[] };
  const resolved = map.sources.map((source): Origin => {
    const relative = source.replace(/^\.\//, '');
    if (relative.startsWith('.build/') && relative.endsWith(starterSuffix))
      // The generated starter (no file in the repository): named as webpack's own code is.
      return { file: sourceIndex(`webpack:///${relative.slice('.build/'.length)}`) };
    if (relative.startsWith('.build/')) {
      const table = lineTable(relative);
      if (table) return { table, sources: table.sources.map((s) => sourceIndex(`${toRoot}/${s}`)) };
      return { file: sourceIndex(`${toRoot}/${relative.slice('.build/'.length)}`) };
    }
    if (relative.startsWith('node_modules/')) return { file: sourceIndex(`${toRoot}/${relative}`) };
    if (path.isAbsolute(relative) || relative.startsWith('..'))
      throw new Error(`${outDir}: source map names a file outside the repository: ${source}`);
    return { file: sourceIndex(`webpack:///${relative}`) };
  });
  const mappings = decode(map.mappings).map((segments) =>
    segments.map((segment): SourceMapSegment => {
      if (segment.length === 1) return segment;
      const [column, source, line, originalColumn] = segment;
      const to = resolved[source]!;
      if ('file' in to) return [column, to.file, line, originalColumn];
      const origin = to.table.lines[line];
      return origin ? [column, to.sources[origin[0]]!, origin[1], origin[2]] : [column];
    }),
  );
  return { version: 3, sources, names: [], mappings };
}

const terserOptions: MinifyOptions = {
  // The bundles are ES modules (dist/<a>/package.json says "type": "module").
  module: true,
  ecma: 2020,
  compress: {},
  mangle: true,
  // Bundled libraries look at names: the AWS SDK tests `logger.constructor.name ===
  // "NoOpLogger"`, node-fetch and undici check class names of their arguments.
  keep_classnames: true,
  keep_fnames: true,
  // Keep /*! … */ and @license comments (terser's default; a few KiB in all).
  format: { comments: 'some' },
};

/**
 * terser maps every token, each to the line its input map gave (ncc's are line-only) and
 * with the original identifier's name: on a line-only map, all but the first of a run of
 * segments pointing at the same place are redundant, and the names are what makes the maps
 * big. Keeping one segment per run and no names makes the maps about 5× smaller and
 * resolves every position to the same source line as before.
 */
function lineLevel(mappings: SourceMapSegment[][]): SourceMapSegment[][] {
  return mappings.map((segments) => {
    let previous = '';
    const kept: SourceMapSegment[] = [];
    for (const segment of segments) {
      const place = segment.length === 1 ? '' : `${segment[1]}:${segment[2]}:${segment[3]}`;
      if (place === previous) continue;
      previous = place;
      kept.push(segment.length === 5 ? [segment[0], segment[1], segment[2], segment[3]] : segment);
    }
    return kept;
  });
}

/**
 * Whether a map would map only bundled libraries. Such maps are not shipped: the maps are there
 * so that a stack trace names our TypeScript sources, and a library's minified position is
 * enough to report upstream; the library-only maps were 2.5 MB of the 16 MB of dist/ (the
 * @actions/core/undici chunk alone is in every bundle).
 */
function mapsLibrariesOnly(sources: readonly string[]): boolean {
  return sources.length > 0 && sources.every((s) => s.includes('node_modules/'));
}

/**
 * Minifies one emitted script with its ncc map; returns the code and the map beside it (none
 * when it would map only bundled libraries).
 */
async function minifyScript(
  name: string,
  code: string,
  nccMap: SourceMap,
  outDir: string,
): Promise<{ code: string; map: string | undefined }> {
  const file = path.posix.basename(name);
  const result = await minify(code, {
    ...terserOptions,
    sourceMap: { content: toSourceFiles(nccMap, outDir), filename: file, url: `${file}.map` },
  });
  if (result.code === undefined || typeof result.map !== 'string')
    throw new Error(`terser produced no output for ${name}`);
  const map = JSON.parse(result.map) as SourceMap;
  if (mapsLibrariesOnly(map.sources)) {
    return {
      code: result.code.replace(/\n\/\/# sourceMappingURL=\S+$/, '') + '\n',
      map: undefined,
    };
  }
  return {
    code: result.code + '\n',
    map: JSON.stringify({
      version: 3,
      file,
      sources: map.sources,
      names: [],
      mappings: encode(lineLevel(decode(map.mappings))),
    }),
  };
}

/**
 * First line of every index.js. Node reads the maps of modules loaded after this call only:
 * index.js itself stays unmapped, the chunks (all the code past input checks) are mapped.
 * Enabling it before index.js loads (a wrapper module) would parse index.js.map on every
 * start, including the ones that fail on an input in milliseconds; this costs nothing until
 * a chunk loads, then reading its map (about 10 ms for all chunks of an action).
 */
const sourceMapsBanner =
  "import { setSourceMapsSupport } from 'node:module'; setSourceMapsSupport(true);";

/**
 * The starter's last line. 'beforeExit' fires only once the event loop is empty — every file
 * and pipe write done, nothing pending — which is when Node would exit anyway; exiting there
 * (with process.exitCode, which setFailed set) skips only the teardown of the environment and
 * the V8 heap: 4–17 ms of CPU after the last output for a big bundle against 1–5 ms (measured
 * with perf stat, rollout-and-verify). Work still pending when run() returns keeps the process
 * alive exactly as before. Actions themselves never call process.exit.
 */
const exitWhenIdle = "process.once('beforeExit', () => process.exit());";

/**
 * Writes the module the bundle starts from beside the compiled entry and returns its path.
 * The check is on tsc's output, where an exported `run` is one of these two forms.
 */
function writeStarter(entry: Entry): string {
  const compiled = path.join(buildDir, path.relative(root, entry.source)).replace(/\.ts$/, '.js');
  const code = readFileSync(compiled, 'utf8');
  if (
    !/^export (async )?function run\(|^export const run = |^export \{[^}]*\brun\b[^}]*\}/m.test(
      code,
    )
  )
    throw new Error(
      `${path.relative(root, entry.source)} must export run() and do nothing else when imported ` +
        '(see CONTRIBUTING.md, "Entry points")',
    );
  const starter = compiled.replace(/\.js$/, starterSuffix);
  writeFileSync(
    starter,
    `import { run } from './${path.basename(compiled)}';\nawait run();\n${exitWhenIdle}\n`,
  );
  return starter;
}

/**
 * @actions/core imports @actions/http-client (and with it undici and tunnel: 450 KiB minified,
 * about 30 MB of heap and RSS once loaded) for one function, `getIDToken`, which no action calls:
 * GitHub's OIDC token comes through shared/github-oidc.ts on shared/http. Where nothing else in a
 * bundle needs http-client, it is replaced by a stub that says so if it is ever called — every
 * step then loads less, exits sooner and ships 450 KiB less. @actions/github and
 * @actions/tool-cache use http-client for real: a bundle holding either is built with the real
 * one (see bundle()).
 */
const HTTP_CLIENT_STUB = 'http-client-stub.cjs';
const HTTP_CLIENT_USERS = ['node_modules/@actions/github/', 'node_modules/@actions/tool-cache/'];
const httpClientStub = `'use strict';
// scripts/build.ts: @actions/http-client is not in this bundle (only core.getIDToken would use it).
class HttpClient {
  constructor() {
    throw new Error('@actions/http-client is not bundled with this action (mlops-actions never calls core.getIDToken)');
  }
}
module.exports = { HttpClient };
`;

/** Every module path the emitted maps name (ncc's maps, before minification). */
function bundledSources(files: Map<string, { source: string | Buffer }>): string[] {
  return [...files]
    .filter(([name]) => name.endsWith('.js.map'))
    .flatMap(([, map]) => (JSON.parse(map.source.toString()) as SourceMap).sources);
}

/** ncc's output for one entry: with the http-client stub unless a real user of it is bundled. */
async function nccBuild(
  compiled: string,
  options: Parameters<typeof ncc>[1],
): Promise<{ files: Map<string, { source: string | Buffer; permissions?: number }> }> {
  const run = async (stub: boolean) => {
    const externals: Record<string, string> = stub
      ? { '@actions/http-client': `./${HTTP_CLIENT_STUB}` }
      : {};
    const result = await ncc(compiled, { ...options, externals });
    const files = new Map<string, { source: string | Buffer; permissions?: number }>(
      Object.entries(result.assets),
    );
    files.set('index.js', { source: result.code });
    return files;
  };
  const stubbed = await run(true);
  const needsReal = bundledSources(stubbed).some((s) =>
    HTTP_CLIENT_USERS.some((u) => s.includes(u)),
  );
  if (needsReal) return { files: await run(false) };
  const usesStub = [...stubbed].some(
    ([name, f]) => name.endsWith('.js') && f.source.toString().includes(HTTP_CLIENT_STUB),
  );
  if (usesStub) stubbed.set(HTTP_CLIENT_STUB, { source: httpClientStub });
  return { files: stubbed };
}

async function bundle(entry: Entry): Promise<{ code: number; maps: number }> {
  const compiled = writeStarter(entry);
  // sourceMapBasePrefix is an ncc option that scripts/ncc.d.ts does not declare.
  const options: Parameters<typeof ncc>[1] & { sourceMapBasePrefix: string } = {
    // terser runs below, on every chunk: ncc would minify index.js only.
    minify: false,
    sourceMap: true,
    // Sources relative to the repository (./.build/…, ./node_modules/…), see toSourceFiles.
    sourceMapBasePrefix: '',
    quiet: true,
    cache: false,
    target: 'es2022',
    // Bundles must not depend on where they were built.
    sourceMapRegister: false,
  };
  const { files } = await nccBuild(compiled, options);
  mkdirSync(entry.outDir, { recursive: true });
  const size = { code: 0, maps: 0 };
  const write = (name: string, source: string | Buffer, permissions?: number): void => {
    const target = path.join(entry.outDir, name);
    // check-dist rebuilds elsewhere: nothing may depend on where this build ran.
    if (source.includes(root)) throw new Error(`${target} contains the build path ${root}`);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, source, permissions ? { mode: permissions } : {});
    size[name.endsWith('.map') ? 'maps' : 'code'] += Buffer.byteLength(source);
  };
  for (const [name, asset] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const map = files.get(`${name}.map`);
    if (name.endsWith('.js') && map) {
      let code = asset.source.toString();
      const nccMap = JSON.parse(map.source.toString()) as SourceMap;
      if (name === 'index.js') {
        // The banner is one more line: ncc's map shifts down by one.
        code = `${sourceMapsBanner}\n${code}`;
        nccMap.mappings = `;${nccMap.mappings}`;
      }
      const outDir = path.dirname(path.join(entry.outDir, name));
      const minified = await minifyScript(name, code, nccMap, outDir);
      write(name, minified.code, asset.permissions);
      if (minified.map !== undefined) write(`${name}.map`, minified.map, map.permissions);
    } else if (!(name.endsWith('.js.map') && files.has(name.slice(0, -'.map'.length)))) {
      write(name, asset.source, asset.permissions);
    }
  }
  return size;
}

async function main(): Promise<void> {
  // ncc names modules relative to the working directory: that makes the maps' sources.
  process.chdir(root);
  const kubernetesDir = path.join(root, 'shared', 'kubernetes');
  writeSchema(path.join(kubernetesDir, 'schema.json'));
  writeValidators(kubernetesDir);
  rmSync(buildDir, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [
      path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      'tsconfig.build.json',
      // Only for the bundle maps: they are composed with these to point at the .ts sources.
      '--sourceMap',
    ],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  // tsc emits only .ts sources: data and generated JavaScript go beside the compiled files.
  cpSync(path.join(root, 'shared'), path.join(buildDir, 'shared'), {
    recursive: true,
    filter: (src) => !src.endsWith('.ts'),
  });
  // `npm run build -- <action>…` rebuilds only those actions (a quicker loop while working on one).
  const only = process.argv.slice(2);
  const entries = discoverEntries(root).filter((e) => only.length === 0 || only.includes(e.action));
  // Nested entry folders (post/) live inside the main folder: clear per action, not per entry.
  for (const action of new Set(entries.map((e) => e.action))) {
    rmSync(path.join(distDir, action), { recursive: true, force: true });
  }
  for (const entry of entries) {
    const size = await bundle(entry);
    const kib = (n: number): string => `${(n / 1024).toFixed(0)} KiB`;
    console.log(
      `${path.relative(root, entry.outDir)}/index.js  ${kib(size.code)} (+ ${kib(size.maps)} maps)`,
    );
  }
  if (!existsSync(distDir)) mkdirSync(distDir);
  rmSync(buildDir, { recursive: true, force: true });
}

await main();
