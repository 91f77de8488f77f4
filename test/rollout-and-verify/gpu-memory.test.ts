/** The pure parts of the GPU / memory diagnosis (actions/rollout-and-verify/gpu-memory.ts). */
import { describe, expect, it } from '@jest/globals';
import {
  autoscalerAnswer,
  insufficientResources,
  judgeUnschedulable,
  memoryOf,
} from '../../actions/rollout-and-verify/gpu-memory.ts';
import type { KubeObject } from '../../shared/kube/index.ts';

const SCHEDULER =
  '0/3 nodes are available: 1 Insufficient cpu, 3 Insufficient nvidia.com/gpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.';

function pod(resources: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'llm-0', namespace: 'ml' },
    spec: { containers: [{ name: 'llm', image: 'llm:v1', resources }] },
  };
}

const problem = {
  pod: 'llm-0',
  namespace: 'ml',
  reason: 'Unschedulable',
  message: SCHEDULER,
  unschedulable: true,
};

describe('insufficientResources', () => {
  it('reads every insufficient resource before the preemption part', () => {
    expect(insufficientResources(SCHEDULER)).toEqual(['cpu', 'nvidia.com/gpu']);
    expect(insufficientResources('0/1 nodes are available: 1 node(s) had taint')).toEqual([]);
  });
});

describe('judgeUnschedulable', () => {
  const gpuPod = pod({ limits: { 'nvidia.com/gpu': 2 } });
  const facts = { autoscaler: true, nodeResources: new Set(['cpu', 'memory', 'pods']) };

  it('fails now on NotTriggerScaleUp, naming the amount and the node group limit', () => {
    const v = judgeUnschedulable(
      problem,
      gpuPod,
      {
        reason: 'NotTriggerScaleUp',
        message: "pod didn't trigger scale-up: 1 max node group size reached",
        at: '',
      },
      facts,
    );
    expect(v.failNow).toBe(true);
    expect(v.message).toContain('nvidia.com/gpu: 2');
    expect(v.message).toContain('node group limit: 1 max node group size reached');
  });

  it('waits while a scale-up is under way, and waits with no answer from a running autoscaler', () => {
    const up = judgeUnschedulable(
      problem,
      gpuPod,
      {
        reason: 'TriggeredScaleUp',
        message: 'pod triggered scale-up: [{gpu 0->1 (max: 2)}]',
        at: '',
      },
      facts,
    );
    expect(up.failNow).toBe(false);
    expect(up.message).toContain('started a scale-up');
    expect(judgeUnschedulable(problem, gpuPod, undefined, facts).failNow).toBe(false);
  });

  it('fails now on a resource no node has when no autoscaler runs; not when that is unknown', () => {
    const none = { ...facts, autoscaler: false };
    const v = judgeUnschedulable(problem, gpuPod, undefined, none);
    expect(v.failNow).toBe(true);
    expect(v.message).toContain('nvidia.com/gpu: 2, which no node has');
    expect(v.message).not.toContain('cpu: ');
    expect(
      judgeUnschedulable(problem, gpuPod, undefined, {
        autoscaler: undefined,
        nodeResources: undefined,
      }).failNow,
    ).toBe(false);
    // Only cpu short (every node has cpu): more nodes could help, so the grace rules.
    const cpuOnly = { ...problem, message: '0/1 nodes are available: 1 Insufficient cpu.' };
    expect(judgeUnschedulable(cpuOnly, gpuPod, undefined, none).failNow).toBe(false);
  });
});

describe('autoscalerAnswer', () => {
  it('takes the autoscaler reasons about pods only', () => {
    const event = (reason: string, kind = 'Pod'): KubeObject =>
      ({
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: 'e' },
        reason,
        message: 'm',
        lastTimestamp: 't',
        involvedObject: { kind, name: 'llm-0', uid: 'u-1' },
      }) as KubeObject;
    expect(autoscalerAnswer(event('NotTriggerScaleUp'))).toEqual({
      pod: 'u-1',
      answer: { reason: 'NotTriggerScaleUp', message: 'm', at: 't' },
    });
    expect(autoscalerAnswer(event('FailedScheduling'))).toBeUndefined();
    expect(autoscalerAnswer(event('TriggeredScaleUp', 'Node'))).toBeUndefined();
  });
});

describe('memoryOf', () => {
  it('names the limit and request, or their absence', () => {
    expect(
      memoryOf(pod({ limits: { memory: '1Gi' }, requests: { memory: '512Mi' } }), 'llm'),
    ).toMatch(/^OOMKilled: memory limit 1Gi, request 512Mi — /);
    expect(memoryOf(pod({}), 'llm')).toMatch(/^OOMKilled: no memory limit, no memory request — /);
  });
});
