/** `npm run kube-sim -- --port 6443 [--tls] [--token X] [--speed N] [--nodes N]` */
import { parseArgs } from 'node:util';
import { startKubeSim } from './index.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '6443' },
    tls: { type: 'boolean', default: false },
    token: { type: 'string' },
    speed: { type: 'string', default: '1' },
    nodes: { type: 'string', default: '1' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log(
    'usage: npm run kube-sim -- [--port 6443] [--tls] [--token TOKEN] [--speed 1] [--nodes 1]',
  );
  process.exit(0);
}

const sim = await startKubeSim({
  port: Number(values.port),
  tls: values.tls,
  ...(values.token ? { token: values.token } : {}),
  speed: Number(values.speed),
  nodes: Number(values.nodes),
});
console.log(`kube-sim: serving ${sim.url}`);
console.log(`kube-sim: kubeconfig ${sim.kubeconfigPath}`);
console.log(`kube-sim: try  kubectl --kubeconfig ${sim.kubeconfigPath} get nodes`);
console.log('kube-sim: Ctrl-C to stop');

let stopping = false;
const shutdown = (signal: string): void => {
  if (stopping) return;
  stopping = true;
  console.log(`kube-sim: ${signal}, stopping`);
  sim.stop().then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
