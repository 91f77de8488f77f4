/** provider kubeconfig, end to end: a given kubeconfig (YAML or base64) against the simulator. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, statSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { startKubeSim, type KubeSim } from '../harness/kube-sim/index.ts';
import { errorMessages, runAction, type ActionRunResult } from '../harness/runner.ts';
import {
  Scratch,
  clientNodeNamespaces,
  kubectl,
  randomToken,
  runnerTempEntries,
} from './helpers.ts';

let sim: KubeSim;
let scratch: Scratch;
let bin: string;
let given: string;

beforeAll(async () => {
  scratch = new Scratch();
  bin = scratch.bin();
  sim = await startKubeSim({ tls: true, token: randomToken('given-'), namespaces: ['ml'] });
  // The simulator's kubeconfig plus a second context pointing elsewhere.
  const doc = parse(readFileSync(sim.kubeconfigPath, 'utf8')) as Record<string, unknown[]>;
  doc.clusters!.push({ name: 'other', cluster: { server: 'https://192.0.2.1' } });
  doc.contexts!.push({ name: 'other', context: { cluster: 'other', user: 'kube-sim' } });
  doc['current-context'] = 'other' as never;
  given = stringify(doc);
});

afterAll(async () => {
  await sim?.stop();
  scratch?.cleanup();
});

function run(inputs: Record<string, string>): Promise<ActionRunResult> {
  return runAction('setup-cluster-auth', {
    inputs: { provider: 'kubeconfig', ...inputs },
    env: { PATH: bin },
    keep: true,
    post: false,
  });
}

describe('provider kubeconfig', () => {
  it.each([
    ['raw YAML', () => given],
    ['base64', () => Buffer.from(given).toString('base64')],
  ])(
    '%s: selects the context, sets the namespace, masks the credentials; kubectl and client-node work',
    async (_name, value) => {
      const r = await run({ kubeconfig: value(), context: 'kube-sim', namespace: 'ml' });
      try {
        expect(errorMessages(r).join('\n')).toBe('');
        const file = r.outputs['kubeconfig-path']!;
        expect(statSync(file).mode & 0o777).toBe(0o600);
        expect(r.outputs.context).toBe('kube-sim');
        expect(r.outputs['cluster-endpoint']).toBe(sim.url);
        expect(r.env.KUBECONFIG).toBe(file);
        const written = parse(readFileSync(file, 'utf8')) as {
          'current-context': string;
          contexts: { name: string; context: { namespace?: string } }[];
        };
        expect(written['current-context']).toBe('kube-sim');
        expect(written.contexts.find((c) => c.name === 'kube-sim')!.context.namespace).toBe('ml');
        expect(written.contexts.find((c) => c.name === 'other')!.context.namespace).toBeUndefined();
        const k = await kubectl(scratch, file, ['get', 'namespaces', '-o', 'name'], { PATH: bin });
        expect(k.stdout).toContain('namespace/ml');
        expect(await clientNodeNamespaces(file)).toContain('ml');
        expect(r.masks).toContain(sim.token);
        expect(r.maskedLog).not.toContain(sim.token!);
      } finally {
        r.cleanup();
      }
    },
  );

  it('defaults to the file’s current-context', async () => {
    const r = await run({ kubeconfig: given });
    try {
      expect(r.outputs.context).toBe('other');
      expect(r.outputs['cluster-endpoint']).toBe('https://192.0.2.1');
    } finally {
      r.cleanup();
    }
  });

  it.each([
    [
      'not YAML',
      `apiVersion: v1\nclusters: [ {name: x\nsecret-token: ${'s3cr3t'.repeat(4)}`,
      /^setup-cluster-auth: Input 'kubeconfig' is not valid YAML/,
    ],
    [
      'neither YAML nor base64',
      `${'s3cr3t'.repeat(4)}%%%`,
      /^setup-cluster-auth: Input 'kubeconfig' is neither kubeconfig YAML nor base64 of it/,
    ],
    [
      'base64 of something else',
      Buffer.from(`${'s3cr3t'.repeat(4)} no colon`).toString('base64'),
      /neither kubeconfig YAML nor base64/,
    ],
    ['YAML but not a kubeconfig', `- ${'s3cr3t'.repeat(4)}: 1\n`, /is not a kubeconfig/],
  ])('%s: fails naming the input, never echoing the content', async (_name, value, message) => {
    const r = await run({ kubeconfig: value });
    try {
      expect(r.exitCode).toBe(1);
      expect(errorMessages(r).join('\n')).toMatch(message);
      expect(r.maskedLog).not.toContain('s3cr3ts3cr3t');
      expect(errorMessages(r).join('\n')).not.toContain('s3cr3t');
      expect(runnerTempEntries(r.runnerTemp)).toEqual([]);
    } finally {
      r.cleanup();
    }
  });

  it('a context that is not in the file lists the ones that are', async () => {
    const r = await run({ kubeconfig: given, context: 'prod' });
    try {
      expect(r.exitCode).toBe(1);
      expect(errorMessages(r).join('\n')).toBe(
        "setup-cluster-auth: context 'prod' is not in the kubeconfig; it has 'kube-sim', 'other'",
      );
      expect(runnerTempEntries(r.runnerTemp)).toEqual([]);
    } finally {
      r.cleanup();
    }
  });
});
