import { definePost } from '../../shared/action.ts';

export const run = definePost({
  name: 'build-push-image',
  load: () => import('./cleanup.ts'),
});
