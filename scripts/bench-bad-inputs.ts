/**
 * `node scripts/bench-bad-inputs.ts`: bad inputs tried per action through the real bundles
 * (render-manifests, setup-cluster-auth, rollout-and-verify input parsing), and how many failed
 * cleanly — exit non-zero, one failure line naming the input or file, no stack trace, no
 * outputs, nothing written or sent to the cluster. Cases: test/harness/bad-inputs.ts.
 * Times are per case, from start to exit.
 */
import { BAD_INPUTS, runBadInput, tally, type Outcome } from '../test/harness/bad-inputs.ts';
import { FULL } from './bench-lib.ts';

/**
 * Every case, two at a time by default (a bundle is mostly start-up on one core: two halve
 * the section on a 2-core machine); one at a time with --full, for undisturbed times.
 */
const PARALLEL = FULL ? 1 : 2;
const outcomes: Outcome[] = [];
let next = 0;
await Promise.all(
  Array.from({ length: PARALLEL }, async () => {
    while (next < BAD_INPUTS.length) {
      const c = BAD_INPUTS[next++]!;
      outcomes.push(await runBadInput(c));
    }
  }),
);
console.log(
  `${BAD_INPUTS.length} cases, ${PARALLEL} at a time${FULL ? '' : ' (--full: one at a time)'}`,
);
console.log('action               tried  failed cleanly  median ms');
for (const [action, t] of Object.entries(tally(outcomes))) {
  const times = outcomes
    .filter((o) => o.case.action === action)
    .map((o) => o.durationMs)
    .sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] ?? 0;
  console.log(
    `${action.padEnd(20)} ${String(t.tried).padStart(5)}  ${String(t.clean).padStart(14)}  ${median.toFixed(0).padStart(9)}`,
  );
}
for (const o of outcomes.filter((x) => !x.clean)) {
  console.log(`NOT CLEAN ${o.case.action} / ${o.case.name}: ${o.why.join('; ')}`);
  console.log(`  failure line: ${o.failureLine.split('\n')[0]}`);
}
