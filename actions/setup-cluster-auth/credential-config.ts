/** The config file of the bundled credential command (0600 beside the kubeconfig). */
import type { GoogleCredentialSource, GoogleEndpoints } from './google-auth.ts';
import type { EksInputs } from './inputs.ts';

export type CredentialConfig =
  | {
      provider: 'gke';
      source: GoogleCredentialSource;
      endpoints: GoogleEndpoints;
      project: string;
      userAgent: string;
    }
  | {
      provider: 'eks';
      cluster: string;
      region: string;
      credentials: EksInputs['credentials'];
      stsEndpoint?: string;
      userAgent: string;
    };
