import { definePost } from '../../shared/action.ts';

const run = definePost({ name: 'build-push-image', load: () => import('./cleanup.ts') });
export { run };
