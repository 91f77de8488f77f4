import { definePost } from '../../shared/action.ts';

const run = definePost({
  name: 'rollout-and-verify',
  load: () => import('./post-report.ts'),
});

export { run };
