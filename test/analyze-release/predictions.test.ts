/** Model behaviour: the prediction path, PSI, and pairing each tick's two answers. */
import { describe, expect, it } from '@jest/globals';
import {
  extract,
  parsePredictionPath,
  PredictionTracker,
  psi,
} from '../../actions/analyze-release/predictions.ts';

describe('prediction-path', () => {
  it.each<[string, unknown, unknown[] | undefined]>([
    ['predictions[*]', { predictions: [0, 2, 1] }, [0, 2, 1]],
    ['predictions[1]', { predictions: [0, 2, 1] }, [2]],
    ['predictions[0].label', { predictions: [{ label: 'setosa' }] }, ['setosa']],
    ['outputs[0].data[*]', { outputs: [{ name: 'o', data: [1, 1] }] }, [1, 1]],
    ['predictions[*]', { instances: [] }, undefined],
    ['predictions[3]', { predictions: [0] }, undefined],
    ['predictions.x', { predictions: [0] }, undefined],
  ])('%s of %j', (path, doc, expected) => {
    expect(extract(doc, parsePredictionPath('prediction-path', path))).toEqual(expected);
  });

  it.each(['', '.predictions', 'predictions[', 'predictions[-1]', 'a..b', 'a[0]b', '[0]', 'a b'])(
    '"%s" is refused, naming the input',
    (path) => {
      expect(() => parsePredictionPath('prediction-path', path)).toThrow(
        /Input 'prediction-path' must be a path/,
      );
    },
  );

  it('own properties only: __proto__ or constructor is never followed', () => {
    expect(extract({}, parsePredictionPath('p', 'constructor'))).toBeUndefined();
  });
});

describe('PSI', () => {
  it('identical distributions: 0', () => {
    expect(psi(['a', 'b', 'a', 'c'], ['a', 'b', 'a', 'c'])).toBe(0);
  });

  it('categorical: Σ (c − b)·ln(c/b) over the classes', () => {
    // Classes 50/50 → 60/40: (0.1·ln 1.2) + (−0.1·ln 0.8) = 0.0405
    const base = [...Array(50).fill(0), ...Array(50).fill(1)];
    const cand = [...Array(60).fill(0), ...Array(40).fill(1)];
    expect(psi(cand, base)).toBeCloseTo(0.1 * Math.log(1.2) - 0.1 * Math.log(0.8), 10);
  });

  it('continuous values bin at the baseline deciles: a shifted candidate has a large PSI', () => {
    const base = Array.from({ length: 1000 }, (_, i) => i / 1000);
    const same = Array.from({ length: 1000 }, (_, i) => (i + 0.5) / 1000);
    const shifted = Array.from({ length: 1000 }, (_, i) => 0.5 + i / 2000);
    expect(psi(same, base)).toBeLessThan(0.01);
    expect(psi(shifted, base)).toBeGreaterThan(1);
  });

  it('nothing to compare: undefined', () => {
    expect(psi([], [1])).toBeUndefined();
  });
});

describe('PredictionTracker', () => {
  const body = (p: unknown): Buffer => Buffer.from(JSON.stringify({ predictions: p }));

  it('pairs the two answers of a tick whatever their order; counts changed and missing', () => {
    const t = new PredictionTracker(parsePredictionPath('prediction-path', 'predictions[*]'));
    t.add(0, 0, body([1]));
    t.add(1, 0, body([1]));
    t.add(1, 1, body([2])); // the baseline answered first
    t.add(0, 1, body([0]));
    t.add(0, 2, Buffer.from('not json'));
    t.add(1, 2, body([1]));
    t.add(0, 3, Buffer.from('{"error": "x"}'));
    expect(t.figures()).toEqual({
      compared: 2,
      changed: 1,
      changedShare: 0.5,
      psi: expect.any(Number),
      missing: [2, 0],
    });
  });
});
