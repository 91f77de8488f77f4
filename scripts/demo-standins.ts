/**
 * The local stand-ins the demo's jobs talk to, all on loopback and all removed by `stop()`:
 * the Kubernetes API simulator (TLS + bearer token), a real OCI registry (Debian's
 * docker-registry), a Git server (git http-backend) holding the GitOps config repository, and
 * the contract-following fakes of Argo CD, Kubeflow Pipelines, the MLflow tracking server
 * (model registry), the GitHub REST API and the Slack Web API.
 */
import { startFakeArgo, type FakeArgo } from '../test/harness/fakes/argocd-api.ts';
import { startGitHubApi, type GitHubFake } from '../test/harness/fakes/github-api.ts';
import { startKfpFake, type KfpFake } from '../test/harness/fakes/kfp-api.ts';
import { startMlflowFake, type MlflowFake } from '../test/harness/fakes/mlflow.ts';
import { startSlackFake, type SlackFake } from '../test/harness/fakes/slack-api.ts';
import { gitSync, startGitServer, type GitServer } from '../test/harness/git-server.ts';
import { startKubeSim, type KubeSim } from '../test/harness/kube-sim/index.ts';
import { startRegistry, type Registry } from '../test/harness/registry.ts';

/** The config repository Argo CD deploys from, and the file that names the model image. */
export const GITOPS_REPO = 'octo-org/gitops-config';
export const GITOPS_FILE = 'apps/recommender/inferenceservice.yaml';
export const ARGO_APP = 'recommender';
/** The Slack channel (its id) the deployment messages go to. */
export const SLACK_CHANNEL = 'C0DEPLOYS1';

export interface StandIns {
  sim: KubeSim;
  registry: Registry;
  git: GitServer;
  argo: FakeArgo;
  kfp: KfpFake;
  github: GitHubFake;
  mlflow: MlflowFake;
  slack: SlackFake;
  /** Clone URL of the GitOps config repository, and the bare repository's path. */
  gitopsUrl: string;
  gitopsBare: string;
  /** Secrets a workflow would hold in `secrets.*`: masked by the actions, never printed. */
  secrets: {
    kubeToken: string;
    kfpToken: string;
    gitToken: string;
    argoToken: string;
    githubToken: string;
    mlflowToken: string;
    slackToken: string;
  };
  stop(): Promise<void>;
}

function secret(prefix: string): string {
  return `${prefix}${Math.random().toString(36).slice(2, 14)}${Math.random().toString(36).slice(2, 14)}`;
}

function gitopsInferenceService(image: string): string {
  return `# Deployed by Argo CD; argocd-bump-image changes only the image below.
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: recommender
  namespace: recommender
spec:
  predictor:
    minReplicas: 2
    containers:
      - name: kserve-container
        image: ${image}
        ports:
          - containerPort: 8080
`;
}

export async function startStandIns(o: { speed: number; namespace: string }): Promise<StandIns> {
  const started: { stop(): Promise<void> }[] = [];
  const stopAll = async (): Promise<void> => {
    await Promise.allSettled(started.reverse().map((s) => s.stop()));
  };
  try {
    const secrets = {
      kubeToken: secret('kube-demo-'),
      kfpToken: secret('kfp-demo-'),
      gitToken: secret('ghs_gitops'),
      argoToken: secret('argo-demo.'),
      githubToken: secret('ghs_demo'),
      mlflowToken: secret('dapi-demo-'),
      slackToken: `xoxb-1234567890-9876543210-${secret('')}`,
    };
    const sim = await startKubeSim({
      tls: true,
      token: secrets.kubeToken,
      speed: o.speed,
      namespaces: [o.namespace],
    });
    started.push(sim);
    const registry = await startRegistry();
    started.push(registry);
    const git = await startGitServer({ tokens: [secrets.gitToken] });
    started.push(git);
    const gitopsUrl = git.createRepo(GITOPS_REPO, {
      [GITOPS_FILE]: gitopsInferenceService(`${registry.host}/octo-org/recommender:v1`),
      'README.md': '# GitOps config\nArgo CD syncs apps/ to the cluster.\n',
    });
    // Argo CD last synced the repository's first commit (a real commit: revisions are checked).
    const initial = gitSync(['rev-parse', 'main'], git.repoPath(GITOPS_REPO)).trim();
    const argo = await startFakeArgo(secrets.argoToken, [
      { name: ARGO_APP, revision: initial, outcome: 'healthy' },
    ]);
    started.push(argo);
    const kfp = await startKfpFake({ token: secrets.kfpToken });
    started.push(kfp);
    // The training pipeline's run: a few polls RUNNING, then SUCCEEDED with its tasks.
    kfp.script([
      { state: 'RUNNING', tasks: [{ name: 'train', state: 'RUNNING', start: 1 }] },
      {
        state: 'SUCCEEDED',
        tasks: [
          { name: 'train', state: 'SUCCEEDED', start: 1, end: 42 },
          { name: 'evaluate', state: 'SUCCEEDED', start: 43, end: 47 },
        ],
      },
    ]);
    const github = await startGitHubApi({ token: secrets.githubToken });
    started.push(github);
    // Bearer auth, as Databricks or a proxy in front of MLflow; the demo seeds its runs and
    // versions (scripts/demo-train.ts) as the training pipeline would log them.
    const mlflow = await startMlflowFake({ token: secrets.mlflowToken });
    started.push(mlflow);
    const slack = await startSlackFake({ token: secrets.slackToken, channels: [SLACK_CHANNEL] });
    started.push(slack);
    return {
      sim,
      registry,
      git,
      argo,
      kfp,
      github,
      mlflow,
      slack,
      gitopsUrl,
      gitopsBare: git.repoPath(GITOPS_REPO),
      secrets,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
