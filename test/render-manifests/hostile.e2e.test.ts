/**
 * render-manifests under hostile input (issue 9), through the real bundle: injection through
 * `image`, files outside the workspace, unresolved and secret `vars`, oversized objects and
 * summaries, alias bombs, and Kubernetes name rules.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { DEPLOYMENT } from '../harness/bad-inputs.ts';
import { lastError, runAction, type ActionRunResult } from '../harness/runner.ts';

const temps: string[] = [];
afterEach(() => temps.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

interface Rendered extends ActionRunResult {
  text: string;
  /** Files in the output directory after the run. */
  written: string[];
}

/** Runs the bundle in a fresh workspace holding `files` (path → content). */
async function render(
  files: Record<string, string>,
  inputs: Record<string, string>,
  setup?: (workspace: string) => void,
): Promise<Rendered> {
  const workspace = tempDir('ws-');
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(workspace, file)), { recursive: true });
    writeFileSync(path.join(workspace, file), content);
  }
  setup?.(workspace);
  const result = await runAction('render-manifests', {
    inputs: { 'output-dir': 'out', ...inputs },
    workspace,
  });
  const out = path.join(workspace, 'out');
  const file = path.join(out, 'manifests.yaml');
  return {
    ...result,
    text: existsSync(file) ? readFileSync(file, 'utf8') : '',
    written: existsSync(out) ? readdirSync(out) : [],
  };
}

function errors(r: ActionRunResult): ActionRunResult['annotations'] {
  return r.annotations.filter((a) => a.level === 'error');
}

/** Failed cleanly: exit 1, a failure line, no outputs, nothing written. */
function expectCleanFailure(r: Rendered, message: string | RegExp): void {
  expect(r.exitCode).toBe(1);
  if (typeof message === 'string') expect(lastError(r)).toContain(message);
  else expect(lastError(r)).toMatch(message);
  expect(r.outputs).toEqual({});
  expect(r.written).toEqual([]);
  expect(r.log).not.toMatch(/\n\s+at /);
}

describe('injection through image', () => {
  const injected = 'nginx:1", securityContext: {privileged: true}, imagePullPolicy: "Always';

  it.each([
    ['flow-style injection', injected],
    ['block-style injection', 'nginx:1\n          securityContext:\n            privileged: true'],
    ['upper case repository', 'UPPER/Case:tag'],
    ['space in the tag', 'nginx:bad tag'],
    ['short digest', 'nginx@sha256:xyz'],
    ['too many colons', 'a:b:c:d'],
    ['tag too long', `nginx:${'t'.repeat(129)}`],
    ['empty path component', 'ghcr.io//app:1'],
  ])('rejects %s in image, naming the input', async (_name, image) => {
    const r = await render(
      { 'app/deployment.yaml': DEPLOYMENT.replace('DOCKER_IMAGE_PLACEHOLDER', `"PLACEHOLDER"`) },
      { manifests: 'app', 'image-placeholder': 'PLACEHOLDER', image },
    );
    expectCleanFailure(r, /^render-manifests: Input 'image': .* is not a valid image reference/);
    expect(errors(r)).toHaveLength(1);
  });

  it.each([
    ['upper case', 'nginx=UPPER/Case:tag'],
    ['space in the tag', 'nginx=nginx:bad tag'],
    ['too many colons', 'a:b:c:d'],
  ])('rejects %s in images, naming the input', async (_name, line) => {
    const r = await render(
      { 'app/deployment.yaml': DEPLOYMENT },
      { manifests: 'app', images: line },
    );
    expectCleanFailure(r, /^render-manifests: Input 'images': /);
  });

  it.each([
    ['plain', 'image: PLACEHOLDER'],
    ['double-quoted', 'image: "PLACEHOLDER"'],
    ['single-quoted', "image: 'PLACEHOLDER'"],
  ])(
    'substitutes a %s scalar as a whole value: valid references render, structure never changes',
    async (_name, line) => {
      const image = 'registry.example.com:5000/ml/model_server__v2:1.0.0-rc.1';
      const r = await render(
        { 'app/deployment.yaml': DEPLOYMENT.replace('image: DOCKER_IMAGE_PLACEHOLDER', line) },
        { manifests: 'app', 'image-placeholder': 'PLACEHOLDER', image },
      );
      expect(lastError(r)).toBe('');
      expect(r.exitCode).toBe(0);
      const doc = parseAllDocuments(r.text)[0]!.toJS() as {
        spec: { template: { spec: { containers: Record<string, unknown>[] } } };
      };
      expect(doc.spec.template.spec.containers).toEqual([{ name: 'server', image }]);
    },
  );

  it('a placeholder inside a key or a comment is not substituted; only scalar values are', async () => {
    const r = await render(
      {
        'app/cm.yaml':
          'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c # PLACEHOLDER\ndata:\n  PLACEHOLDER: x\n  ref: PLACEHOLDER\n',
      },
      { manifests: 'app', 'image-placeholder': 'PLACEHOLDER', image: 'nginx:1' },
    );
    expect(r.exitCode).toBe(0);
    const doc = parseAllDocuments(r.text)[0]!.toJS() as { data: Record<string, string> };
    expect(doc.data).toEqual({ PLACEHOLDER: 'x', ref: 'nginx:1' });
  });

  it('a vars value cannot add structure either', async () => {
    const r = await render(
      {
        'app/cm.yaml':
          'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: "${V}"\n  b: ${V}\n',
      },
      { manifests: 'app', vars: 'V=x", evil: "1' },
    );
    expect(r.exitCode).toBe(0);
    const doc = parseAllDocuments(r.text)[0]!.toJS() as { data: Record<string, string> };
    expect(doc.data).toEqual({ a: 'x", evil: "1', b: 'x", evil: "1' });
  });

  it('a whole plain ${VAR} keeps its YAML type (replicas: ${N} is an integer)', async () => {
    const r = await render(
      {
        'app/deployment.yaml': DEPLOYMENT.replace(
          'spec:\n  selector',
          'spec:\n  replicas: ${N}\n  selector',
        ),
      },
      {
        manifests: 'app',
        vars: 'N=3',
        'image-placeholder': 'DOCKER_IMAGE_PLACEHOLDER',
        image: 'nginx:1',
      },
    );
    expect(lastError(r)).toBe('');
    const doc = parseAllDocuments(r.text)[0]!.toJS() as { spec: { replicas: unknown } };
    expect(doc.spec.replicas).toBe(3);
  });
});

// Absolute paths, ../ and a symlink to /proc/self/environ: test/harness/bad-inputs.ts (with
// their messages), run by test/e2e/bad-inputs.e2e.test.ts.
describe('files outside the workspace', () => {
  it('rejects a symlinked directory that points outside it', async () => {
    const outside = tempDir('outside-');
    writeFileSync(
      path.join(outside, 'cm.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n',
    );
    const r = await render({}, { manifests: 'linked' }, (ws) =>
      symlinkSync(outside, path.join(ws, 'linked')),
    );
    expectCleanFailure(r, /Input 'manifests': "linked" resolves to .*, outside the workspace/);
  });

  it('allows a symlink that stays inside the workspace', async () => {
    const r = await render(
      { 'app/deployment.yaml': DEPLOYMENT },
      { manifests: 'link.yaml', 'image-placeholder': 'DOCKER_IMAGE_PLACEHOLDER', image: 'nginx:1' },
      (ws) => symlinkSync(path.join(ws, 'app', 'deployment.yaml'), path.join(ws, 'link.yaml')),
    );
    expect(r.exitCode).toBe(0);
  });

  it.each([
    ['an absolute output-dir elsewhere', () => '/etc/render-out', 'is outside'],
    ['an output-dir through a symlink that leads out', () => 'link/out', 'resolves to'],
  ])('rejects %s before reading anything', async (_name, dir, why) => {
    const outside = tempDir('outside-');
    const r = await render(
      { 'app/deployment.yaml': DEPLOYMENT },
      { manifests: 'app', 'output-dir': dir() },
      (ws) => symlinkSync(outside, path.join(ws, 'link')),
    );
    expectCleanFailure(
      r,
      new RegExp(
        `^render-manifests: Input 'output-dir': ".*" ${why} .*output is written only there`,
      ),
    );
    expect(readdirSync(outside)).toEqual([]);
  });

  it('allow-outside-workspace: true lifts the restriction', async () => {
    const outside = tempDir('outside-');
    writeFileSync(
      path.join(outside, 'cm.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n',
    );
    const r = await render(
      {},
      { manifests: path.join(outside, 'cm.yaml'), 'allow-outside-workspace': 'true' },
    );
    expect(lastError(r)).toBe('');
    expect(r.exitCode).toBe(0);
  });

  it('a kustomization cannot load files outside its root (load restrictor on)', async () => {
    const outside = tempDir('outside-');
    writeFileSync(
      path.join(outside, 'cm.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n',
    );
    const r = await render(
      { 'k/kustomization.yaml': `resources:\n  - ${path.join(outside, 'cm.yaml')}\n` },
      { manifests: 'k' },
    );
    expectCleanFailure(r, /kustomize build of .* failed: .*(security|restrict|outside|root)/i);
  });
});

describe('unresolved ${NAME} and vars values', () => {
  const CM =
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: ${FIRST}\n  b: x-${SECOND}-y\n  c: $${ESCAPED}\n';

  it('warns at file:line for each reference when vars is empty', async () => {
    const r = await render({ 'app/cm.yaml': CM }, { manifests: 'app' });
    expect(r.exitCode).toBe(0);
    const warnings = r.annotations.filter((a) => a.level === 'warning');
    expect(warnings.map((w) => [w.properties.file, w.properties.line, w.message])).toEqual([
      ['app/cm.yaml', '6', expect.stringContaining('${FIRST} is not substituted')],
      ['app/cm.yaml', '7', expect.stringContaining('${SECOND} is not substituted')],
    ]);
  });

  it('fails at file:line with fail-on-unresolved-vars: true', async () => {
    const r = await render(
      { 'app/cm.yaml': CM },
      { manifests: 'app', 'fail-on-unresolved-vars': 'true' },
    );
    expectCleanFailure(r, /2 problems in the manifests/);
    expect(
      errors(r)
        .filter((e) => e.properties.file === 'app/cm.yaml')
        .map((e) => e.properties.line),
    ).toEqual(['6', '7']);
  });

  it('never echoes a vars value: a schema error names the key', async () => {
    const secret = 'hunter2-s3cr3t-value';
    const r = await render(
      {
        'app/deployment.yaml': DEPLOYMENT.replace(
          'spec:\n  selector',
          'spec:\n  replicas: ${REPLICAS}\n  selector',
        ),
      },
      {
        manifests: 'app',
        vars: `REPLICAS=${secret}`,
        'image-placeholder': 'DOCKER_IMAGE_PLACEHOLDER',
        image: 'nginx:1',
      },
    );
    expectCleanFailure(r, /1 problem in the manifests/);
    expect(lastError(r)).toContain('${REPLICAS}');
    expect(r.log).not.toContain(secret);
    expect(JSON.stringify(r.annotations)).not.toContain(secret);
    expect(r.summary).not.toContain(secret);
    expect(r.summary).toContain('render-manifests: failed');
  });

  it('never echoes a vars value in a name error or the input error', async () => {
    const secret = 'Bad:Name!secret';
    const r = await render(
      { 'app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${NAME}\n' },
      { manifests: 'app', vars: `NAME=${secret}` },
    );
    expectCleanFailure(r, /metadata\.name/);
    expect(r.log).not.toContain(secret);
    expect(JSON.stringify(r.annotations)).not.toContain(secret);
    expect(r.summary).not.toContain(secret);
    const bad = await render(
      { 'app/cm.yaml': CM },
      { manifests: 'app', vars: 'bad key=topsecret' },
    );
    expectCleanFailure(bad, /Input 'vars'/);
    expect(bad.log).not.toContain('topsecret');
  });
});

describe('size', () => {
  it('a ConfigMap whose data exceeds 1 MiB is an error at its file:line', async () => {
    const big = 'x'.repeat(1024 * 1024 + 1);
    const r = await render(
      {
        'app/small.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: small}\n',
        'app/big.yaml': `# a comment\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  blob: ${big}\n`,
      },
      { manifests: 'app' },
    );
    expectCleanFailure(r, /1 problem in the manifests/);
    const e = errors(r).find((a) => a.properties.file === 'app/big.yaml');
    expect(e?.properties.line).toBe('6');
    expect(e?.message).toMatch(/ConfigMap\/big: data is 1\.00 MiB .*limit of 1 MiB/);
  });

  it('keeps the summary and the resources output small for many documents, saying what was left out', async () => {
    const docs = Array.from(
      { length: 3000 },
      (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\ndata:\n  k: v\n`,
    ).join('---\n');
    const r = await render({ 'app/many.yaml': docs }, { manifests: 'app', validate: 'false' });
    expect(r.exitCode).toBe(0);
    expect(r.summary).toContain('render-manifests: 3000 resources');
    expect(r.summary).toContain('… 2800 more (not listed)');
    expect(r.summary.split('\n').filter((l) => l.startsWith('| ConfigMap'))).toHaveLength(200);
    expect(Buffer.byteLength(r.summary)).toBeLessThan(64 * 1024);
    const resources = JSON.parse(r.outputs.resources!) as unknown[];
    expect(resources).toHaveLength(1000);
    expect(r.outputs['resource-count']).toBe('3000');
    expect(
      r.annotations.some(
        (a) =>
          a.level === 'warning' &&
          a.message.includes("output 'resources' lists the first 1000 of 3000"),
      ),
    ).toBe(true);
  });

  it('the failure message lists 20 problems and counts the rest; each is annotated', async () => {
    const docs = Array.from(
      { length: 30 },
      (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_${i}\n`,
    ).join('---\n');
    const r = await render({ 'app/bad.yaml': docs }, { manifests: 'app', validate: 'false' });
    expectCleanFailure(r, /^render-manifests: 30 problems in the manifests/);
    expect(lastError(r)).toContain('… and 10 more (each annotated)');
    expect(lastError(r).split('\n')).toHaveLength(1 + 20 + 1);
    expect(errors(r).filter((e) => e.properties.file === 'app/bad.yaml')).toHaveLength(30);
  });

  it('an alias bomb fails naming its file', async () => {
    const bomb = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: bomb}',
      'x:',
      '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      '  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      '  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      '  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      '  e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      '  f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
      '',
    ].join('\n');
    const r = await render({ 'app/bomb.yaml': bomb }, { manifests: 'app' });
    expectCleanFailure(r, /app\/bomb\.yaml/);
    expect(errors(r).some((e) => e.properties.file === 'app/bomb.yaml')).toBe(true);
  });
});

describe('metadata.name', () => {
  it.each([
    ['ConfigMap', 'v1', 'bad:name!', 'DNS-1123 subdomain'],
    ['ConfigMap', 'v1', 'UPPER', 'DNS-1123 subdomain'],
    ['ConfigMap', 'v1', `${'a'.repeat(254)}`, 'DNS-1123 subdomain'],
    ['Service', 'v1', 'has.dot', 'DNS-1035 label'],
    ['Service', 'v1', '1starts-with-digit', 'DNS-1035 label'],
    ['Namespace', 'v1', 'has.dot', 'DNS-1123 label'],
    ['Namespace', 'v1', `${'a'.repeat(64)}`, 'DNS-1123 label'],
  ])('a %s (%s) named %s is an error at its line', async (kind, apiVersion, name, rule) => {
    const r = await render(
      { 'app/x.yaml': `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: "${name}"\n` },
      { manifests: 'app', validate: 'false' },
    );
    expectCleanFailure(r, /1 problem in the manifests/);
    const e = errors(r).find((a) => a.properties.file === 'app/x.yaml');
    expect(e?.properties.line).toBe('4');
    expect(e?.message).toContain(rule);
  });

  it.each([
    ['ConfigMap', 'v1', 'my.config-1'],
    ['ClusterRole', 'rbac.authorization.k8s.io/v1', 'system:controller:thing'],
    ['Service', 'v1', 'model-server'],
    ['Namespace', 'v1', '1ml'],
    ['Widget', 'example.com/v1', 'a.b-c'],
  ])('accepts a %s (%s) named %s', async (kind, apiVersion, name) => {
    const r = await render(
      { 'app/x.yaml': `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: "${name}"\n` },
      { manifests: 'app', validate: 'false' },
    );
    expect(lastError(r)).toBe('');
    expect(r.exitCode).toBe(0);
  });
});
