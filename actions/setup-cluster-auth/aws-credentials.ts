/**
 * AWS credentials for the EKS path: the SDK's default chain over the one HTTP client
 * (shared/aws-default-chain.ts: environment as left by aws-actions/configure-aws-credentials,
 * profiles, web identity files, container and instance roles), or keyless `role-to-assume`
 * through STS AssumeRoleWithWebIdentity with the GitHub OIDC token. Endpoints follow the SDK's
 * own settings (AWS_ENDPOINT_URL_STS, …).
 */
import { STSClient, AssumeRoleWithWebIdentityCommand } from '@aws-sdk/client-sts';
import type { HttpClient } from '../../shared/http.ts';
import { awsClientTransport } from '../../shared/http-aws.ts';
import { awsDefaultChain } from '../../shared/aws-default-chain.ts';
import type { EksInputs } from './inputs.ts';
import type { AwsCredentials } from './eks-token.ts';
import { githubIdToken } from '../../shared/github-oidc.ts';
import { awsErrorMessage } from './aws-errors.ts';

export type AwsCredentialSource = EksInputs['credentials'];

export interface AwsCredentialOptions {
  region: string;
  http: HttpClient;
  /** An STS endpoint (VPC endpoint); default: the SDK's resolution. */
  stsEndpoint?: string;
  onSecret?: (value: string) => void;
}

export async function awsCredentials(
  source: AwsCredentialSource,
  o: AwsCredentialOptions,
): Promise<AwsCredentials> {
  const sts = new STSClient({
    region: o.region,
    ...(o.stsEndpoint ? { endpoint: o.stsEndpoint } : {}),
    // The one HTTP client carries STS calls (its retries, deadline, abort), none of the SDK's.
    ...awsClientTransport(o.http),
  });
  try {
    if (source.kind === 'default') {
      const chain = await awsDefaultChain({
        http: o.http,
        region: o.region,
        ...(o.stsEndpoint ? { stsEndpoint: o.stsEndpoint } : {}),
      });
      const c = await chain();
      return {
        accessKeyId: c.accessKeyId,
        secretAccessKey: c.secretAccessKey,
        ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}),
        ...(c.expiration ? { expiration: c.expiration } : {}),
      };
    }
    const webIdentityToken = await githubIdToken(source.oidc, source.audience, o.http);
    o.onSecret?.(webIdentityToken);
    let out;
    try {
      out = await sts.send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn: source.roleArn,
          RoleSessionName: source.sessionName,
          WebIdentityToken: webIdentityToken,
          DurationSeconds: 3600,
        }),
      );
    } catch (error) {
      throw new Error(
        `STS AssumeRoleWithWebIdentity for ${source.roleArn} failed: ${awsErrorMessage(error)}`,
        { cause: error },
      );
    }
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) {
      throw new Error('STS AssumeRoleWithWebIdentity returned no credentials');
    }
    for (const v of [c.SecretAccessKey, c.SessionToken]) o.onSecret?.(v);
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      ...(c.Expiration ? { expiration: c.Expiration } : {}),
    };
  } catch (error) {
    if (source.kind === 'default' && (error as Error).name === 'CredentialsProviderError') {
      throw new Error(
        `No AWS credentials found: run aws-actions/configure-aws-credentials first, or set 'role-to-assume' for keyless OIDC (${(error as Error).message})`,
        { cause: error },
      );
    }
    throw error;
  } finally {
    sts.destroy();
  }
}
