import { describe, expect, it } from '@jest/globals';
import {
  rolloutStatus,
  type WorkloadLike,
} from '../../actions/rollout-and-verify/rollout-status.ts';
import { readContractJson } from '../harness/contracts.ts';

interface Case {
  name: string;
  input: WorkloadLike;
  revision?: number;
  expected: { message: string; done: boolean; error: string | null };
}

const spec = readContractJson<Record<string, Case[]>>('kubernetes', 'rollout-status.cases.json');

const kindOf = (c: Case): string => {
  if (c.name.startsWith('deployment')) return 'Deployment';
  return 'StatefulSet';
};

const table: [string, string, Case][] = [
  ...(spec.deployment ?? []).map((c): [string, string, Case] => ['Deployment', c.name, c]),
  ...(spec.daemonset ?? []).map((c): [string, string, Case] => ['DaemonSet', c.name, c]),
  ...(spec.statefulset ?? []).map((c): [string, string, Case] => ['StatefulSet', c.name, c]),
  ...(spec.derived_cases_not_in_upstream_tests ?? []).map((c): [string, string, Case] => [
    kindOf(c),
    c.name,
    c,
  ]),
];

describe('kubectl rollout-status rules', () => {
  it('covers every case of the spec file', () => {
    expect(table.length).toBe(5 + 5 + 6 + 3);
  });

  it.each(table)('%s: %s', (kind, _name, c) => {
    const statefulBase =
      kind === 'StatefulSet'
        ? { metadata: { name: 'foo', ...c.input.metadata }, spec: { replicas: 3, ...c.input.spec } }
        : {};
    const obj: WorkloadLike = { ...c.input, ...statefulBase };
    const result = rolloutStatus(kind, obj, c.revision ?? 0);
    expect(result).toBeDefined();
    expect(result?.message).toBe(c.expected.message);
    expect(result?.done).toBe(c.expected.done);
    expect(result?.error ?? null).toBe(c.expected.error);
  });

  it('has no viewer for other kinds', () => {
    expect(rolloutStatus('Job', {})).toBeUndefined();
  });
});
