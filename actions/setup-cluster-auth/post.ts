import { definePost } from '../../shared/action.ts';

// The post step's modules load only when it runs.
const setupClusterAuthPost = definePost({
  name: 'setup-cluster-auth',
  load: () => import('./post-wiring.ts'),
});

export async function run(): Promise<void> {
  await setupClusterAuthPost();
}
