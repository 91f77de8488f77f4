/**
 * EKS: AWS credentials (default chain or keyless role), DescribeCluster for endpoint and CA,
 * then a presigned-STS bearer token or an exec plugin, as `aws eks update-kubeconfig` does.
 */
import { DescribeClusterCommand, EKSClient, type Cluster } from '@aws-sdk/client-eks';
import type { HttpClient } from '../../shared/http.ts';
import { awsClientTransport } from '../../shared/http-aws.ts';
import { EXEC_API_VERSION, type KubeUser } from '../../shared/kube/kubeconfig.ts';
import { bundledCredential, type ClusterAccess, type ProviderDeps } from './access.ts';
import { awsCredentials } from './aws-credentials.ts';
import { awsErrorMessage, awsStatus } from './aws-errors.ts';
import { eksToken, type AwsCredentials } from './eks-token.ts';
import type { EksInputs } from './inputs.ts';
import { BASE64, checkedServerString, checkedServerUrl } from '../../shared/server-values.ts';

/** arn:<partition>:eks:<region>:<account>:cluster/<name>, as DescribeCluster returns it. */
const EKS_CLUSTER_ARN =
  /^arn:aws[a-z-]*:eks:[a-z0-9-]+:\d{12}:cluster\/[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

export async function describeEksCluster(
  inputs: EksInputs,
  credentials: AwsCredentials,
  http: HttpClient,
): Promise<Cluster> {
  const eks = new EKSClient({ region: inputs.region, credentials, ...awsClientTransport(http) });
  try {
    const out = await eks.send(new DescribeClusterCommand({ name: inputs.cluster }));
    if (!out.cluster)
      throw new Error(`EKS DescribeCluster returned no cluster for ${inputs.cluster}`);
    return out.cluster;
  } catch (error) {
    const name = (error as Error).name;
    const status = awsStatus(error);
    if (name === 'ResourceNotFoundException' || status === 404) {
      throw new Error(
        `EKS cluster '${inputs.cluster}' was not found in region ${inputs.region} (HTTP 404, ${awsErrorMessage(error)}): check 'cluster-name' and 'region'.`,
        { cause: error },
      );
    }
    if (name === 'AccessDeniedException' || status === 403) {
      throw new Error(
        `Permission denied for EKS DescribeCluster on '${inputs.cluster}' in ${inputs.region} (HTTP 403): the role needs eks:DescribeCluster on the cluster. AWS said: ${(error as Error).message}`,
        { cause: error },
      );
    }
    throw new Error(
      `EKS DescribeCluster for '${inputs.cluster}' in ${inputs.region} failed: ${awsErrorMessage(error)}`,
      {
        cause: error,
      },
    );
  } finally {
    eks.destroy();
  }
}

/** How kubectl authenticates: an embedded token, `aws eks get-token`, or the bundled command. */
async function eksUser(
  inputs: EksInputs,
  deps: ProviderDeps,
  credentials: AwsCredentials,
  stsEndpoint: string | undefined,
): Promise<Pick<ClusterAccess, 'user' | 'files' | 'expiresAt' | 'plugin'>> {
  const { logger } = deps;
  const aws =
    inputs.authMode === 'exec' &&
    inputs.execPlugin === 'auto' &&
    inputs.credentials.kind === 'default'
      ? deps.which('aws')
      : undefined;
  if (inputs.authMode === 'token') {
    const t = await eksToken({
      cluster: inputs.cluster,
      region: inputs.region,
      credentials,
      now: new Date(deps.clock.now()),
    });
    logger.secret(t.token);
    logger.info(
      `The EKS token expires at ${t.expiresAt.toISOString()} (EKS tokens last 15 minutes); use auth-mode: exec for longer jobs.`,
    );
    return { user: { token: t.token }, files: [], expiresAt: t.expiresAt };
  }
  if (aws)
    return {
      user: awsCliUser(inputs, deps.env.AWS_PROFILE),
      files: [],
      plugin: `aws eks get-token (${aws})`,
    };
  const bundled = bundledCredential(deps, {
    provider: 'eks',
    cluster: inputs.cluster,
    region: inputs.region,
    credentials: inputs.credentials,
    ...(stsEndpoint ? { stsEndpoint } : {}),
    userAgent: deps.userAgent,
  });
  return { user: bundled.user, files: [bundled.file], plugin: bundled.plugin };
}

function awsCliUser(inputs: EksInputs, profile: string | undefined): KubeUser {
  return {
    exec: {
      apiVersion: EXEC_API_VERSION,
      command: 'aws',
      args: [
        '--region',
        inputs.region,
        'eks',
        'get-token',
        '--cluster-name',
        inputs.cluster,
        '--output',
        'json',
      ],
      ...(profile ? { env: [{ name: 'AWS_PROFILE', value: profile }] } : {}),
      interactiveMode: 'Never',
    },
  };
}

/** What DescribeCluster returned, checked: the server, CA and entry name of the kubeconfig. */
function checkedCluster(
  inputs: EksInputs,
  cluster: Cluster,
): { server: string; caData: string; entryName: string } {
  if (cluster.status !== 'ACTIVE' && cluster.status !== 'UPDATING') {
    throw new Error(
      `EKS cluster '${inputs.cluster}' is ${cluster.status ?? 'in an unknown state'}; it must be ACTIVE or UPDATING.`,
    );
  }
  if (!cluster.endpoint) throw new Error(`EKS cluster '${inputs.cluster}' has no endpoint yet.`);
  const caData = cluster.certificateAuthority?.data;
  if (!caData)
    throw new Error(`EKS cluster '${inputs.cluster}' reports no certificateAuthority.data.`);
  // What the API returns becomes the kubeconfig (server, CA, context name) and outputs.
  const server = checkedServerUrl(cluster.endpoint, `EKS cluster '${inputs.cluster}' endpoint`);
  checkedServerString(caData, BASE64, 'EKS certificateAuthority.data');
  const entryName =
    cluster.arn === undefined
      ? inputs.cluster
      : checkedServerString(cluster.arn, EKS_CLUSTER_ARN, 'EKS cluster arn');
  return { server, caData, entryName };
}

export async function eksAccess(inputs: EksInputs, deps: ProviderDeps): Promise<ClusterAccess> {
  const { logger } = deps;
  const stsEndpoint = deps.env.AWS_ENDPOINT_URL_STS || deps.env.AWS_ENDPOINT_URL || undefined;
  const how =
    inputs.credentials.kind === 'role'
      ? `keyless role ${inputs.credentials.roleArn} (GitHub OIDC)`
      : 'the AWS default credential chain';
  logger.info(`Authenticating to AWS with ${how}`);
  const credentials = await awsCredentials(inputs.credentials, {
    region: inputs.region,
    http: deps.http,
    ...(stsEndpoint ? { stsEndpoint } : {}),
    onSecret: (v) => logger.secret(v),
  });
  logger.secret(credentials.secretAccessKey);
  if (credentials.sessionToken) logger.secret(credentials.sessionToken);

  const cluster = await describeEksCluster(inputs, credentials, deps.http);
  const { server, caData, entryName } = checkedCluster(inputs, cluster);
  const { user, files, expiresAt, plugin } = await eksUser(inputs, deps, credentials, stsEndpoint);
  return {
    entryName,
    context: inputs.context ?? entryName,
    server,
    caData,
    user,
    files,
    ...(expiresAt ? { expiresAt } : {}),
    credentials: how,
    ...(plugin ? { plugin } : {}),
  };
}
