import { runAction } from '../../shared/action.ts';
import { getInputs } from './inputs.ts';

export async function run(): Promise<void> {
  await runAction('build-push-image', async (signal) => {
    // Inputs are checked before anything heavy loads: a typo fails in milliseconds.
    const inputs = getInputs();
    const { main } = await import('./outputs.ts');
    await main(inputs, signal);
  });
}
