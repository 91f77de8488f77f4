/**
 * One request to a simulator's API as a client with its token and CA would send it (through
 * HTTP, so admission, defaults and controllers run as for any client); resolves with the
 * status. For test set-up that kubectl would otherwise do.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { KubeSim } from './index.ts';

export function callSim(
  sim: Pick<KubeSim, 'url' | 'token' | 'caData'>,
  method: string,
  apiPath: string,
  object: unknown,
  contentType = 'application/json',
): Promise<number> {
  const tls = sim.url.startsWith('https:');
  const headers: Record<string, string> = { 'content-type': contentType };
  if (sim.token) headers.authorization = `Bearer ${sim.token}`;
  return new Promise((resolve, reject) => {
    const done = (res: import('node:http').IncomingMessage): void => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    };
    const req = tls
      ? httpsRequest(
          `${sim.url}${apiPath}`,
          { method, headers, ...(sim.caData ? { ca: Buffer.from(sim.caData, 'base64') } : {}) },
          done,
        )
      : httpRequest(`${sim.url}${apiPath}`, { method, headers }, done);
    req.on('error', reject);
    req.end(JSON.stringify(object));
  });
}

/** Creates a Service `name` (selector app=`name`, port `http` 8080), as kubectl would. */
export function createService(sim: KubeSim, namespace: string, name: string): Promise<number> {
  return callSim(sim, 'POST', `/api/v1/namespaces/${namespace}/services`, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace },
    spec: { selector: { app: name }, ports: [{ name: 'http', port: 8080 }] },
  });
}

export interface ScaledDeployment {
  namespace: string;
  /** The Deployment's name; its pods are labelled app=`app`. */
  deployment: string;
  app: string;
  container: string;
  replicas: number;
  /** The HorizontalPodAutoscaler's name, scaling the Deployment between min and max. */
  hpa: string;
  minReplicas: number;
  maxReplicas: number;
}

/** Creates a Deployment and an HPA scaling it through the simulator's API; throws unless both are 201. */
export async function createScaledDeployment(sim: KubeSim, d: ScaledDeployment): Promise<void> {
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: d.deployment, namespace: d.namespace },
    spec: {
      replicas: d.replicas,
      selector: { matchLabels: { app: d.app } },
      template: {
        metadata: { labels: { app: d.app } },
        spec: { containers: [{ name: d.container, image: `${d.app}:1` }] },
      },
    },
  };
  const hpa = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: d.hpa, namespace: d.namespace },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: d.deployment },
      minReplicas: d.minReplicas,
      maxReplicas: d.maxReplicas,
    },
  };
  const created = [
    await callSim(sim, 'POST', `/apis/apps/v1/namespaces/${d.namespace}/deployments`, deployment),
    await callSim(
      sim,
      'POST',
      `/apis/autoscaling/v2/namespaces/${d.namespace}/horizontalpodautoscalers`,
      hpa,
    ),
  ];
  if (created.some((status) => status !== 201)) {
    throw new Error(`creating ${d.namespace}/${d.deployment} + its HPA answered ${created}`);
  }
}
