/** provider `kubeconfig`: a given kubeconfig (raw YAML or base64), validated, context selected. */
import { InputError } from '../../shared/errors.ts';
import {
  kubeconfigSecrets,
  parseKubeconfig,
  selectContext,
  type Kubeconfig,
} from '../../shared/kube/kubeconfig.ts';
import type { Logger } from '../../shared/logger.ts';
import type { KubeconfigInputs } from './inputs.ts';

const BASE64 = /^[A-Za-z0-9+/_\-\s]+={0,2}\s*$/;
const NOT_KUBECONFIG = `Input 'kubeconfig' is neither kubeconfig YAML nor base64 of it (its content is not shown: it may hold credentials).`;

/** Decodes the input; errors never quote it. */
export function decodeKubeconfig(text: string): { config: Kubeconfig; text: string } {
  const trimmed = text.trim();
  // A base64 blob is one YAML scalar: try base64 first when it looks like one.
  if (BASE64.test(trimmed) && !trimmed.includes(':')) {
    const decoded = Buffer.from(trimmed.replace(/\s+/g, ''), 'base64').toString('utf8');
    if (!decoded.includes(':')) throw new InputError(NOT_KUBECONFIG);
    return {
      config: parseKubeconfig(decoded, `Input 'kubeconfig' (base64-decoded)`),
      text: decoded,
    };
  }
  if (!trimmed.includes(':')) throw new InputError(NOT_KUBECONFIG);
  return { config: parseKubeconfig(text, `Input 'kubeconfig'`), text };
}

export function givenKubeconfig(
  inputs: KubeconfigInputs,
  logger: Logger,
): { config: Kubeconfig; context: string; server: string } {
  const { config, text } = decodeKubeconfig(inputs.kubeconfig);
  // base64 carries every credential at once: mask it (line by line when wrapped). The YAML
  // itself is not masked — only the credential values in it — so the log stays readable.
  if (text !== inputs.kubeconfig)
    for (const line of inputs.kubeconfig.split(/\s+/)) if (line.length >= 4) logger.secret(line);
  for (const s of kubeconfigSecrets(config)) logger.secret(s);
  return selectContext(config, inputs.context, inputs.namespace);
}
