/**
 * rollout-and-verify under partial failure and concurrent runs (the real bundle against the
 * API simulator): nothing half-applied, each run verifies and rolls back only its own
 * revision, every wait bounded by the deadline, unready pods diagnosed.
 */
import { describe, expect, it } from '@jest/globals';
import { lastError } from '../harness/runner.ts';
import { deployment, rollout, service, simulatedCluster } from './helpers.ts';

const TOKEN = 'rv-hostile-token-7a1e';
const cluster = simulatedCluster({
  speed: 20,
  tls: true,
  token: TOKEN,
  namespaces: ['dry', 'partial', 'race1', 'race2', 'race3', 'late', 'unready'],
});

function image(ns: string, name: string): string | undefined {
  const d = cluster.sim.getObject('Deployment', ns, name) as
    { spec?: { template?: { spec?: { containers?: { image?: string }[] } } } } | undefined;
  return d?.spec?.template?.spec?.containers?.[0]?.image;
}

/** A release of `name` in `ns` at `tag`, as run `runId` of the workflow. */
function release(ns: string, name: string, tag: string, runId: string) {
  const file = `${ns}-${tag}.yaml`;
  cluster.ws.write(file, deployment(name, `registry.example/model:${tag}`, 2));
  return rollout(
    cluster.sim,
    cluster.ws,
    { manifests: file, namespace: ns, timeout: '60s' },
    { env: { GITHUB_RUN_ID: runId } },
  );
}

/** Resolves once the Deployment's template carries `tag` (the other run's apply landed). */
function applied(ns: string, name: string, tag: string): Promise<unknown> {
  return cluster.sim.waitFor(
    () => image(ns, name)?.endsWith(`:${tag}`) || undefined,
    30_000,
    `${tag} applied`,
  );
}

describe('rollout-and-verify: nothing half-applied', () => {
  it('a server-side dry run fails before anything changes (missing namespace), at file and line', async () => {
    expect((await release('dry', 'web', 'v1', '3001')).exitCode).toBe(0);
    cluster.ws.write(
      'dry-v2.yaml',
      [
        deployment('web', 'registry.example/model:v2', 2),
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: no-such-namespace\ndata: {a: b}\n',
      ].join('---\n'),
    );
    cluster.sim.resetRequests();
    const r = await rollout(cluster.sim, cluster.ws, {
      manifests: 'dry-v2.yaml',
      namespace: 'dry',
    });
    expect(r.exitCode).toBe(1);
    expect(lastError(r)).toContain(
      '1 object(s) failed the server-side dry run; nothing was applied',
    );
    expect(
      r.annotations.some(
        (a) =>
          a.properties.file === 'dry-v2.yaml' &&
          a.properties.line === '17' &&
          a.message.includes('ConfigMap no-such-namespace/settings'),
      ),
    ).toBe(true);
    expect(image('dry', 'web')).toBe('registry.example/model:v1');
    expect(r.outputs.status).toBe('failed');
  });

  it('an apply that fails after earlier objects were applied rolls them back and says so', async () => {
    expect((await release('partial', 'web', 'v1', '3002')).exitCode).toBe(0);
    cluster.ws.write(
      'partial-v2.yaml',
      [deployment('web', 'registry.example/model:v2', 2), service('web')].join('---\n'),
    );
    // The Service's real apply fails (its dry run passes): after the Deployment was applied.
    cluster.sim.failNext(20, {
      status: 500,
      method: 'PATCH',
      pathPrefix: '/api/v1/namespaces/partial/services',
      notDryRun: true,
    });
    const r = await rollout(cluster.sim, cluster.ws, {
      manifests: 'partial-v2.yaml',
      namespace: 'partial',
    });
    cluster.sim.clearFaults();
    expect(r.exitCode).toBe(1);
    expect(r.outputs.status).toBe('rolled-back');
    expect(r.outputs['failure-reason']).toMatch(
      /^ApplyFailed: Service partial\/web could not be applied after 1 object\(s\) were/,
    );
    expect(image('partial', 'web')).toBe('registry.example/model:v1');
    expect(r.summary).toMatch(/\| ❌ \| Service \| partial \| web \| failed \|/);
    expect(r.summary).toMatch(/\| Deployment \| partial \| web \| rolled back \|/);
  });
});

describe('rollout-and-verify: concurrent runs', () => {
  it('two good releases: the first is superseded (never rolled back), the second succeeds', async () => {
    expect((await release('race1', 'm', 'v1', '4000')).exitCode).toBe(0);
    // slow-*: pods take 20 simulated seconds to become Ready, so run 4001 is still waiting.
    const first = release('race1', 'm', 'slow-v2', '4001');
    await applied('race1', 'm', 'slow-v2');
    const second = await release('race1', 'm', 'v3', '4002');
    const a = await first;
    expect(second.exitCode).toBe(0);
    expect(second.outputs.status).toBe('succeeded');
    expect(a.exitCode).toBe(0);
    expect(a.outputs.status).toBe('superseded');
    const warning = a.annotations.find((x) => x.level === 'warning')?.message ?? '';
    expect(warning).toContain('superseded by another run of rollout-and-verify');
    expect(warning).toContain('run 4002');
    expect(image('race1', 'm')).toBe('registry.example/model:v3');
  });

  it('good, then broken: the good run is superseded; the broken one rolls back to the good revision', async () => {
    expect((await release('race2', 'm', 'v1', '5000')).exitCode).toBe(0);
    const good = release('race2', 'm', 'slow-v2', '5001');
    await applied('race2', 'm', 'slow-v2');
    const broken = await release('race2', 'm', 'pullfail-v3', '5002');
    const g = await good;
    expect(broken.outputs.status).toBe('rolled-back');
    expect(g.outputs.status).toBe('superseded');
    // The good run neither reported the broken run's ErrImagePull nor rolled anything back.
    expect(g.log).not.toContain('ErrImagePull');
    expect(g.log).not.toContain('rolled back to revision');
    expect(image('race2', 'm')).toBe('registry.example/model:slow-v2');
  });

  it('broken (never Ready), then good: the broken run is superseded and rolls nothing back', async () => {
    expect((await release('race3', 'm', 'v1', '6000')).exitCode).toBe(0);
    const broken = release('race3', 'm', 'unready-v2', '6001');
    await applied('race3', 'm', 'unready-v2');
    const good = await release('race3', 'm', 'v3', '6002');
    const b = await broken;
    expect(good.outputs.status).toBe('succeeded');
    expect(b.outputs.status).toBe('superseded');
    expect(b.log).not.toContain('rolled back to revision');
    expect(image('race3', 'm')).toBe('registry.example/model:v3');
  });
});

describe('rollout-and-verify: deadlines and diagnosis', () => {
  it('a Retry-After beyond the deadline fails at once, naming it, and applies nothing', async () => {
    cluster.ws.write('late.yaml', deployment('web', 'registry.example/model:v1', 1));
    cluster.sim.failNext(1, { status: 429, retryAfterSeconds: 3600 });
    const r = await rollout(cluster.sim, cluster.ws, {
      manifests: 'late.yaml',
      namespace: 'late',
      timeout: '10s',
    });
    cluster.sim.clearFaults();
    expect(r.exitCode).toBe(1);
    expect(lastError(r)).toContain('the server asked to retry after 3600 s, past the time left');
    expect(r.durationMs).toBeLessThan(8000);
    expect(cluster.sim.getObject('Deployment', 'late', 'web')).toBeUndefined();
  });

  it('at the deadline, a pod that runs but never becomes Ready is diagnosed with its probe events', async () => {
    cluster.ws.write('unready.yaml', deployment('web', 'registry.example/model:unready-v1', 1));
    const r = await rollout(cluster.sim, cluster.ws, {
      manifests: 'unready.yaml',
      namespace: 'unready',
      timeout: '3s',
    });
    expect(r.exitCode).toBe(1);
    const error = lastError(r);
    expect(error).toContain('timed out after 3s');
    expect(error).toMatch(/container model is running but not Ready/);
    expect(error).toContain('Readiness probe failed');
  });
});
