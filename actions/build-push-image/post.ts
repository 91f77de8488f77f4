import { runPost } from '../../shared/action.ts';

export async function run(): Promise<void> {
  await runPost('build-push-image', async () => {
    const [{ cleanupBuildPushImage }, { runnerState }, { coreLogger }] = await Promise.all([
      import('./cleanup.ts'),
      import('../../shared/state.ts'),
      import('../../shared/logger.ts'),
    ]);
    await cleanupBuildPushImage(runnerState, coreLogger);
  });
}
