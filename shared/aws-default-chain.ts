/**
 * The AWS SDK's default credential chain (environment as aws-actions/configure-aws-credentials
 * leaves it, SSO, a web identity token file, shared config/credentials profiles, process
 * credentials, then container and instance metadata), with the clients it makes on the one
 * HTTP client: the STS calls of a web identity file or an assume-role profile and the SSO
 * portal calls go through shared/http.ts by the chain's own `clientConfig` hook, with no SDK
 * retries on top. The container (ECS, EKS Pod Identity) and instance (IMDS) metadata lookups
 * take no request handler in the SDK (@smithy/credential-provider-imds opens its own
 * connections): they stay the SDK's, bounded by its `timeout` and `maxRetries`, which are set
 * here. Loaded only on the AWS path.
 */
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { DefaultProviderInit } from '@aws-sdk/credential-provider-node';
import type { HttpClient } from './http.ts';
import { awsClientTransport } from './http-aws.ts';

export interface AwsDefaultChainOptions {
  http: HttpClient;
  /** The region of the nested STS client (the chain's own resolution otherwise). */
  region?: string;
  /** An STS endpoint (VPC endpoint, tests); AWS_ENDPOINT_URL_STS is read by the SDK itself. */
  stsEndpoint?: string;
  /** Per metadata lookup; the SDK's default is 1 s. */
  metadataTimeoutMs?: number;
  /** Sources the chain would otherwise read from the environment (tests). */
  init?: DefaultProviderInit;
}

/** The default chain whose STS and SSO calls go through `http`. */
export async function awsDefaultChain(
  o: AwsDefaultChainOptions,
): Promise<AwsCredentialIdentityProvider> {
  const { defaultProvider } = await import('@aws-sdk/credential-provider-node');
  return defaultProvider({
    ...o.init,
    clientConfig: {
      ...awsClientTransport(o.http),
      ...(o.region ? { region: o.region } : {}),
      ...(o.stsEndpoint ? { endpoint: o.stsEndpoint } : {}),
    },
    // shared/http.ts cannot carry these lookups: the SDK's own bounds, stated (1 s, no retry).
    timeout: o.metadataTimeoutMs ?? 1000,
    maxRetries: 0,
  });
}
