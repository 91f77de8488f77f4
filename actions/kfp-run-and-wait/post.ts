import { runPost } from '../../shared/action.ts';

export async function run(): Promise<void> {
  await runPost('kfp-run-and-wait', async () => {
    const { cancelLeftRun } = await import('./post-cancel.ts');
    await cancelLeftRun();
  });
}
