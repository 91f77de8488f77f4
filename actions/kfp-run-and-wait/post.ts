import { runPost } from '../../shared/action.ts';

await runPost('kfp-run-and-wait', async () => {
  const { cancelLeftRun } = await import('./post-cancel.ts');
  await cancelLeftRun();
});
