/** The config file of the bundled credential command (0600 beside the kubeconfig). */
import type { GoogleCredentialSource, GoogleEndpoints } from './google-auth.ts';
import type { AzureCredentialSource } from '../../shared/azure-cloud.ts';
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
    }
  | {
      provider: 'aks';
      credentials: AzureCredentialSource;
      authorityHost: string;
      /** The AKS server application's `.default` scope. */
      scope: string;
      userAgent: string;
    };

/** The credential values of a Google credentials JSON (service-account key or authorized user). */
export function serviceAccountKeySecrets(json: string): string[] {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch {
    return [json];
  }
  if (typeof doc !== 'object' || doc === null) return [json];
  const values: string[] = [];
  for (const key of ['private_key', 'private_key_id', 'client_secret', 'refresh_token']) {
    const v = (doc as Record<string, unknown>)[key];
    if (typeof v === 'string' && v) values.push(v);
  }
  return values;
}
