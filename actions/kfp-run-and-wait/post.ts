import { definePost } from '../../shared/action.ts';

const post = definePost({
  name: 'kfp-run-and-wait',
  load: async () => (await import('./post-cancel.ts')).postBody,
});

export async function run(): Promise<void> {
  await post();
}
