/** What every provider's inputs share (auth mode, context, namespace, the temp directory). */
export const AUTH_MODES = ['token', 'exec'] as const;
export const EXEC_PLUGINS = ['auto', 'bundled'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];
export type ExecPlugin = (typeof EXEC_PLUGINS)[number];

export interface Common {
  context?: string;
  namespace?: string;
  authMode: AuthMode;
  execPlugin: ExecPlugin;
  /** Directory for the kubeconfig (RUNNER_TEMP). */
  tempDir: string;
}
