import { runPost } from '../../shared/action.ts';

export async function run(): Promise<void> {
  await runPost('rollout-and-verify', async () => {
    const { reportLeftovers } = await import('./post-report.ts');
    await reportLeftovers();
  });
}
