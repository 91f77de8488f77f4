/**
 * Fake AWS STS (query protocol; model: boto/botocore botocore/data/sts/2011-06-15/service-2.json
 * @ 0e6e2404b85dc336dd2889814e089bde7d1a4c55):
 * - `POST /` `Action=AssumeRoleWithWebIdentity` (unsigned) with a GitHub OIDC token issued by
 *   the fake GitHub endpoint for audience `sts.amazonaws.com` → XML credentials;
 * - `GET /?Action=GetCallerIdentity&…` presigned (what an EKS token wraps), verified with the
 *   independent SigV4 checker → JSON when `accept: application/json`, as EKS's verifier asks.
 * Errors use STS's XML ErrorResponse.
 */
import { randomUUID } from 'node:crypto';
import { AwsKeyStore, parseAmzDate, verifyHeaderSignature, verifyPresigned } from './aws-sigv4.ts';
import type { GitHubOidcFake } from './github-oidc.ts';
import { startFake, type FakeResponse, type FakeServer } from './http-fake.ts';

export interface AwsStsFake extends FakeServer {
  assumed: { roleArn: string; sessionName: string; subject: string }[];
  callerIdentities: string[];
}

function xml(status: number, body: string): FakeResponse {
  return {
    status,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': randomUUID() },
    body,
  };
}

export function stsError(status: number, code: string, message: string): FakeResponse {
  return xml(
    status,
    `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
  );
}

export async function startAwsSts(o: {
  keys: AwsKeyStore;
  oidc: GitHubOidcFake;
  /** Roles that trust the GitHub OIDC provider. */
  roles: string[];
}): Promise<AwsStsFake> {
  const assumed: AwsStsFake['assumed'] = [];
  const callerIdentities: string[] = [];
  const server = await startFake('aws-sts', (req) => {
    const params = req.method === 'POST' ? new URLSearchParams(req.body) : req.query;
    const action = params.get('Action');
    if (params.get('Version') !== '2011-06-15')
      return stsError(400, 'InvalidAction', 'Could not find operation for version');
    if (action === 'AssumeRoleWithWebIdentity') {
      const token = params.get('WebIdentityToken') ?? '';
      const claims = o.oidc.issued.get(token);
      if (!claims)
        return stsError(
          400,
          'InvalidIdentityToken',
          "Couldn't retrieve verification key from your identity provider",
        );
      if (claims.aud !== 'sts.amazonaws.com')
        return stsError(400, 'InvalidIdentityToken', 'Incorrect token audience');
      const roleArn = params.get('RoleArn') ?? '';
      if (!o.roles.includes(roleArn))
        return stsError(
          403,
          'AccessDenied',
          'Not authorized to perform sts:AssumeRoleWithWebIdentity',
        );
      const sessionName = params.get('RoleSessionName') ?? '';
      const id = o.keys.addSession(roleArn, sessionName);
      assumed.push({ roleArn, sessionName, subject: claims.sub });
      const expiration = new Date(
        Date.now() + Number(params.get('DurationSeconds') ?? 3600) * 1000,
      ).toISOString();
      return xml(
        200,
        `<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleWithWebIdentityResult>` +
          `<SubjectFromWebIdentityToken>${claims.sub}</SubjectFromWebIdentityToken><Audience>${claims.aud}</Audience>` +
          `<AssumedRoleUser><Arn>${id.arn}</Arn><AssumedRoleId>${id.userId}</AssumedRoleId></AssumedRoleUser>` +
          `<Credentials><AccessKeyId>${id.accessKeyId}</AccessKeyId><SecretAccessKey>${id.secretAccessKey}</SecretAccessKey>` +
          `<SessionToken>${id.sessionToken}</SessionToken><Expiration>${expiration}</Expiration></Credentials>` +
          `<Provider>token.actions.githubusercontent.com</Provider></AssumeRoleWithWebIdentityResult>` +
          `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></AssumeRoleWithWebIdentityResponse>`,
      );
    }
    if (action === 'GetCallerIdentity') {
      const presigned = req.query.has('X-Amz-Signature');
      const verdict = presigned
        ? verifyPresigned(o.keys, req, 'sts')
        : verifyHeaderSignature(o.keys, req, 'sts');
      if (!verdict.ok) return stsError(403, verdict.code, verdict.message);
      if (presigned) {
        const age = Date.now() - parseAmzDate(req.query.get('X-Amz-Date') ?? '');
        if (!(age < 15 * 60_000)) return stsError(403, 'AccessDenied', 'Request has expired');
      }
      const { identity } = verdict;
      callerIdentities.push(identity.arn);
      const result = { Account: identity.account, Arn: identity.arn, UserId: identity.userId };
      if ((req.headers.accept ?? '').includes('application/json')) {
        return {
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: {
            GetCallerIdentityResponse: {
              GetCallerIdentityResult: result,
              ResponseMetadata: { RequestId: randomUUID() },
            },
          },
        };
      }
      return xml(
        200,
        `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>${result.Arn}</Arn><UserId>${result.UserId}</UserId><Account>${result.Account}</Account></GetCallerIdentityResult></GetCallerIdentityResponse>`,
      );
    }
    return stsError(
      400,
      'InvalidAction',
      `Could not find operation ${action} for version 2011-06-15`,
    );
  });
  return { ...server, assumed, callerIdentities };
}
