import { runPost } from '../../shared/action.ts';

export async function run(): Promise<void> {
  await runPost('setup-cluster-auth', async () => {
    const [{ cleanupClusterAuth }, { runnerState }, { coreLogger }] = await Promise.all([
      import('./cleanup.ts'),
      import('../../shared/state.ts'),
      import('../../shared/logger.ts'),
    ]);
    await cleanupClusterAuth(runnerState, coreLogger);
  });
}
