/**
 * `npm run check-dist`: rebuilds and fails when dist/ (or generated data) differs from
 * what is committed — a stale bundle would ship code nobody reviewed.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
execFileSync(process.execPath, [path.join(root, 'scripts', 'build.ts')], {
  cwd: root,
  stdio: 'inherit',
});
const status = execFileSync('git', ['status', '--porcelain', '--', 'dist', 'shared/kubernetes'], {
  cwd: root,
  encoding: 'utf8',
});
if (status.trim()) {
  console.error(
    'dist/ is not what `npm run build` produces from this source. Run `npm run build` and commit:',
  );
  console.error(status);
  console.error(
    execFileSync('git', ['diff', '--stat', '--', 'dist', 'shared/kubernetes'], {
      cwd: root,
      encoding: 'utf8',
    }),
  );
  process.exit(1);
}
console.log('check-dist: dist/ is up to date');
