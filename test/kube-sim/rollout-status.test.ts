/**
 * kubectl's rollout-status rules as an oracle: checked against the upstream cases
 * (test/contracts/kubernetes/rollout-status.cases.json), then applied to every Deployment state
 * the simulator publishes during a rollout — "done" must never be reported before the rollout
 * really is.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readContractJson } from '../harness/contracts.ts';
import { startKubeSim } from '../harness/kube-sim/index.ts';
import type { KObj, KubeSim } from '../harness/kube-sim/index.ts';

interface DepLike {
  metadata: { name: string; generation?: number; annotations?: Record<string, string> };
  spec: { replicas?: number };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    conditions?: { type: string; reason?: string }[];
  };
}

interface Verdict {
  message: string;
  done: boolean;
  error: string | null;
}

function deploymentStatus(d: DepLike, revision = 0): Verdict {
  const name = d.metadata.name;
  if (revision > 0) {
    const have = Number(d.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
    if (have !== revision) {
      return {
        message: '',
        done: false,
        error: `desired revision (${revision}) is different from the running revision (${have})`,
      };
    }
  }
  const s = d.status ?? {};
  if ((d.metadata.generation ?? 0) <= (s.observedGeneration ?? 0)) {
    if (
      s.conditions?.some((c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded')
    ) {
      return {
        message: '',
        done: false,
        error: `deployment "${name}" exceeded its progress deadline`,
      };
    }
    const updated = s.updatedReplicas ?? 0;
    if (d.spec.replicas !== undefined && updated < d.spec.replicas) {
      return {
        message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${d.spec.replicas} new replicas have been updated...\n`,
        done: false,
        error: null,
      };
    }
    if ((s.replicas ?? 0) > updated) {
      return {
        message: `Waiting for deployment "${name}" rollout to finish: ${(s.replicas ?? 0) - updated} old replicas are pending termination...\n`,
        done: false,
        error: null,
      };
    }
    if ((s.availableReplicas ?? 0) < updated) {
      return {
        message: `Waiting for deployment "${name}" rollout to finish: ${s.availableReplicas ?? 0} of ${updated} updated replicas are available...\n`,
        done: false,
        error: null,
      };
    }
    return { message: `deployment "${name}" successfully rolled out\n`, done: true, error: null };
  }
  return {
    message: 'Waiting for deployment spec update to be observed...\n',
    done: false,
    error: null,
  };
}

const cases = readContractJson<{
  deployment: { name: string; input: DepLike; expected: Verdict }[];
  derived_cases_not_in_upstream_tests: {
    name: string;
    input: DepLike;
    revision?: number;
    expected: Verdict;
  }[];
}>('kubernetes', 'rollout-status.cases.json');

let sim: KubeSim;
beforeAll(async () => {
  sim = await startKubeSim({ speed: 40 });
});
afterAll(async () => {
  await sim.stop();
});

async function apply(
  name: string,
  image: string,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const body = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: 3,
      ...extra,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', image }] },
      },
    },
  };
  const res = await fetch(
    `${sim.url}/apis/apps/v1/namespaces/default/deployments/${name}?fieldManager=test&force=true`,
    {
      method: 'PATCH',
      headers: { 'content-type': 'application/apply-patch+yaml' },
      body: JSON.stringify(body),
    },
  );
  expect(res.status).toBeLessThan(300);
  await res.text();
}

const ready = (p: KObj): boolean =>
  ((p.status?.conditions ?? []) as { type: string; status: string }[]).some(
    (c) => c.type === 'Ready' && c.status === 'True',
  );

describe('rollout status rules vs the simulator', () => {
  it('the oracle reproduces every upstream and derived Deployment case', () => {
    for (const c of cases.deployment)
      expect({ name: c.name, ...deploymentStatus(c.input) }).toEqual({
        name: c.name,
        ...c.expected,
      });
    for (const c of cases.derived_cases_not_in_upstream_tests.filter((x) =>
      x.name.startsWith('deployment'),
    )) {
      expect(deploymentStatus(c.input, c.revision ?? 0)).toEqual(c.expected);
    }
  });

  it('never reports done while old or unready pods remain, and finishes done', async () => {
    await apply('oracle', 'nginx:1');
    await sim.waitFor(
      () =>
        deploymentStatus(sim.getObject('Deployment', 'default', 'oracle') as unknown as DepLike)
          .done,
      10000,
      'first rollout',
    );
    const violations: string[] = [];
    const messages = new Set<string>();
    const off = sim.store.onChange((_t, r, o) => {
      if (r.kind !== 'Deployment' || o.metadata.name !== 'oracle') return;
      const v = deploymentStatus(o as unknown as DepLike);
      messages.add(v.message.replace(/\d+/g, 'N'));
      if (!v.done) return;
      const pods = sim
        .listObjects('Pod', 'default')
        .filter((p) => p.metadata.labels?.app === 'oracle');
      const images = pods.map((p) => (p.spec?.containers as { image: string }[])[0]!.image);
      if (pods.length !== 3 || !pods.every(ready) || images.some((i) => i !== 'nginx:slow-2')) {
        violations.push(`done with ${pods.length} pods ${images.join(',')}`);
      }
    });
    await apply('oracle', 'nginx:slow-2');
    await sim.waitFor(
      () => {
        const d = sim.getObject('Deployment', 'default', 'oracle') as unknown as DepLike;
        return (d.metadata.generation ?? 0) === 2 && deploymentStatus(d).done;
      },
      20000,
      'second rollout',
    );
    off();
    expect(violations).toEqual([]);
    expect([...messages]).toEqual(
      expect.arrayContaining([
        'Waiting for deployment "oracle" rollout to finish: N out of N new replicas have been updated...\n',
        'Waiting for deployment "oracle" rollout to finish: N old replicas are pending termination...\n',
        'deployment "oracle" successfully rolled out\n',
      ]),
    );
  });

  it('a pullfail rollout ends in the derived "exceeded its progress deadline" verdict', async () => {
    await apply('doomed', 'nginx:pullfail-9', { progressDeadlineSeconds: 10, replicas: 2 });
    const v = await sim.waitFor(
      () => {
        const out = deploymentStatus(
          sim.getObject('Deployment', 'default', 'doomed') as unknown as DepLike,
        );
        return out.error ? out : undefined;
      },
      10000,
      'deadline',
    );
    expect(v.error).toBe('deployment "doomed" exceeded its progress deadline');
  });
});
