/** The gate's parsing and judging: thresholds, tolerance, champion comparison by direction. */
import { describe, expect, it } from '@jest/globals';
import {
  championChecks,
  parseThresholds,
  parseTolerance,
  thresholdChecks,
} from '../../actions/model-registry/gate.ts';

describe('parseThresholds', () => {
  it('reads terms separated by commas or lines, every operator', () => {
    expect(
      parseThresholds('min-metrics', 'accuracy>=0.9, f1 > 0.8\nrmse<=0.3, val/loss<1e-1, n==3'),
    ).toEqual([
      { metric: 'accuracy', op: '>=', value: 0.9 },
      { metric: 'f1', op: '>', value: 0.8 },
      { metric: 'rmse', op: '<=', value: 0.3 },
      { metric: 'val/loss', op: '<', value: 0.1 },
      { metric: 'n', op: '==', value: 3 },
    ]);
    expect(parseThresholds('min-metrics', '')).toEqual([]);
  });

  it.each([
    'accuracy',
    'accuracy>=high',
    '>=0.9',
    'acc=0.9',
    'a;b>=1',
    'accuracy>=0.9, accuracy>=0.8',
  ])('refuses "%s", naming the input', (text) => {
    expect(() => parseThresholds('min-metrics', text)).toThrow(/Input 'min-metrics'/);
  });
});

describe('parseTolerance', () => {
  it('absolute or a percentage', () => {
    expect(parseTolerance('tolerance', '0.01')).toEqual({ kind: 'absolute', value: 0.01 });
    expect(parseTolerance('tolerance', '1%')).toEqual({ kind: 'relative', share: 0.01 });
    expect(() => parseTolerance('tolerance', '-1')).toThrow(/Input 'tolerance'/);
    expect(() => parseTolerance('tolerance', 'a bit')).toThrow(/Input 'tolerance'/);
  });
});

describe('thresholdChecks', () => {
  it('passes, fails and names a metric the run lacks', () => {
    const checks = thresholdChecks(parseThresholds('m', 'accuracy>=0.9, rmse<=0.3, f1>=0.8'), {
      accuracy: 0.95,
      rmse: 0.4,
    });
    expect(checks.map((c) => [c.metric, c.verdict, c.why])).toEqual([
      ['accuracy', 'pass', 'accuracy 0.95 >= 0.9'],
      ['rmse', 'fail', 'rmse 0.4 > 0.3'],
      ['f1', 'fail', 'f1 is missing on the run'],
    ]);
  });
});

describe('championChecks', () => {
  const t = parseThresholds('m', 'accuracy>=0.9, rmse<=0.3, auc>=0');
  it('higher-is-better and lower-is-better within an absolute tolerance', () => {
    const checks = championChecks(
      t,
      { accuracy: 0.93, rmse: 0.25, auc: 0.9 },
      { accuracy: 0.94, rmse: 0.24 },
      { kind: 'absolute', value: 0.01 },
    );
    expect(checks.map((c) => [c.metric, c.verdict])).toEqual([
      ['accuracy', 'pass'], // 0.93 >= 0.94 − 0.01 (at the limit, float noise aside)
      ['rmse', 'pass'], // 0.25 <= 0.24 + 0.01
      ['auc', 'pass'], // the champion has no auc: not compared
    ]);
    expect(checks[2]?.why).toMatch(/has no auc: not compared/);
  });

  it('fails a candidate worse than the champion beyond the tolerance, either direction', () => {
    const checks = championChecks(
      t,
      { accuracy: 0.92, rmse: 0.3, auc: 1 },
      { accuracy: 0.94, rmse: 0.24, auc: 1 },
      { kind: 'absolute', value: 0.01 },
    );
    expect(checks.map((c) => [c.metric, c.verdict])).toEqual([
      ['accuracy', 'fail'],
      ['rmse', 'fail'],
      ['auc', 'pass'],
    ]);
    expect(checks[0]?.why).toBe('accuracy 0.92 vs champion 0.94 (-0.02, tolerance 0.01)');
  });

  it('a relative tolerance is a share of the champion value', () => {
    const acc = parseThresholds('m', 'accuracy>=0');
    expect(
      championChecks(
        acc,
        { accuracy: 0.891 },
        { accuracy: 0.9 },
        { kind: 'relative', share: 0.01 },
      )[0]?.verdict,
    ).toBe('pass');
    expect(
      championChecks(
        acc,
        { accuracy: 0.89 },
        { accuracy: 0.9 },
        { kind: 'relative', share: 0.01 },
      )[0]?.verdict,
    ).toBe('fail');
  });
});
