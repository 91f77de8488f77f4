import { runPost } from '../../shared/action.ts';

await runPost('rollout-and-verify', async () => {
  const { reportLeftovers } = await import('./post-report.ts');
  await reportLeftovers();
});
