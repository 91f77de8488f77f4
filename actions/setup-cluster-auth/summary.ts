import { markdownTable, statusEmoji } from '../../shared/summary.ts';
import type { SetupResult } from './report.ts';

export function setupSummary(r: SetupResult): string {
  const auth = r.plugin
    ? `exec: ${r.plugin}`
    : r.expiresAt
      ? `token, expires ${r.expiresAt.toISOString()}`
      : r.provider === 'kubeconfig'
        ? 'as in the given kubeconfig'
        : 'token';
  const rows: [string, string][] = [
    ['Provider', r.provider],
    ['Context', `\`${r.context}\``],
    ['Endpoint', r.endpoint],
    ['Namespace', r.namespace ?? '(default)'],
    ['Credentials', r.credentials],
    ['Authentication', auth],
    ['KUBECONFIG', `\`${r.kubeconfigPath}\` (0600, removed after the job)`],
  ];
  return [
    `### ${statusEmoji('success')} setup-cluster-auth: ${r.context}`,
    '',
    markdownTable(['', ''], rows),
  ].join('\n');
}
