import * as path from 'node:path';
import { InputError } from '../../shared/errors.ts';
import { Inputs, splitList } from '../../shared/inputs.ts';
import {
  parseKubernetesVersion,
  type KubernetesVersion,
} from '../../shared/kubernetes/api-versions.ts';
import { imageRefProblem } from '../../shared/image-ref.ts';
import { parseImageOverride, type ImageOverride } from './images.ts';

export interface RenderInputs {
  manifests: string[];
  images: ImageOverride[];
  placeholder?: { token: string; image: string };
  /** undefined when `vars` is not set: then `${...}` is left alone. */
  vars?: Map<string, string>;
  namespace?: string;
  labels: Map<string, string>;
  annotations: Map<string, string>;
  validate: boolean;
  /** Unresolved `${NAME}` references are errors instead of warnings. */
  failOnUnresolvedVars: boolean;
  kubernetesVersion: KubernetesVersion;
  outputDir: string;
  workspace: string;
  /** Directories besides the workspace that manifests may come from (RUNNER_TEMP). */
  allowedRoots: string[];
  /** `allow-outside-workspace: true`: no confinement of manifest paths. */
  allowOutsideWorkspace: boolean;
}

const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `vars` lines; an error names the line's key, never its value (a value may be a secret). */
function parseVars(text: string): Map<string, string> {
  const vars = new Map<string, string>();
  splitList(text, { commas: false }).forEach((line, index) => {
    const eq = line.indexOf('=');
    if (eq <= 0) {
      throw new InputError(
        `Input 'vars': line ${index + 1} is not KEY=VALUE (${eq === 0 ? 'no key before' : 'no'} '='; its text is not shown: it may be a value).`,
      );
    }
    const key = line.slice(0, eq).trim();
    if (!VAR_NAME.test(key)) {
      throw new InputError(
        `Input 'vars': line ${index + 1} has an invalid key ${JSON.stringify(key.slice(0, 60))} (a key is [A-Za-z_][A-Za-z0-9_]*; its value is not shown).`,
      );
    }
    vars.set(key, line.slice(eq + 1).trim());
  });
  return vars;
}

export const DEFAULT_KUBERNETES_VERSION = '1.33';

const LABEL_KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export function getInputs(
  inputs = new Inputs(),
  env: NodeJS.ProcessEnv = process.env,
): RenderInputs {
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const manifests = splitList(inputs.required('manifests'), { commas: false });

  const images = inputs.list('images', { commas: false }).map((line) => parseImageOverride(line));

  const token = inputs.optional('image-placeholder');
  const image = inputs.optional('image');
  if (token && !image) {
    throw new InputError(
      `Input 'image-placeholder' is set but 'image' is empty: set 'image' to the image that replaces "${token}".`,
    );
  }
  if (image && !token) {
    throw new InputError(
      `Input 'image' is set but 'image-placeholder' is empty: set the literal token in your manifests that 'image' replaces.`,
    );
  }
  if (image) {
    const problem = imageRefProblem(image);
    if (problem) {
      throw new InputError(
        `Input 'image': ${JSON.stringify(image.slice(0, 300))} is not a valid image reference: ${problem} (expected name[:tag][@sha256:digest]).`,
      );
    }
  }

  const vars = inputs.has('vars') ? parseVars(inputs.raw('vars')) : undefined;

  const namespace = inputs.dnsLabel('namespace');

  const labels = inputs.keyValues('labels', LABEL_KEY);
  for (const [key, value] of labels) {
    if (!LABEL_VALUE.test(value) || value.length > 63) {
      throw new InputError(
        `Input 'labels': the value of "${key}" is not a valid label value ("${value}").`,
      );
    }
  }
  const annotations = inputs.keyValues('annotations', LABEL_KEY);

  const versionText = inputs.optional('kubernetes-version', DEFAULT_KUBERNETES_VERSION);
  const kubernetesVersion = parseKubernetesVersion(versionText);
  if (!kubernetesVersion) {
    throw new InputError(
      `Input 'kubernetes-version' must look like 1.33 or v1.33.2 (got "${versionText}").`,
    );
  }

  const outputDir = path.resolve(
    workspace,
    inputs.optional('output-dir') ??
      path.join(env.RUNNER_TEMP || path.join(workspace, '.render'), 'render-manifests'),
  );

  return {
    manifests,
    images,
    ...(token && image ? { placeholder: { token, image } } : {}),
    ...(vars ? { vars } : {}),
    ...(namespace ? { namespace } : {}),
    labels,
    annotations,
    validate: inputs.bool('validate', true),
    failOnUnresolvedVars: inputs.bool('fail-on-unresolved-vars', false),
    kubernetesVersion,
    outputDir,
    workspace,
    allowedRoots: env.RUNNER_TEMP ? [env.RUNNER_TEMP] : [],
    allowOutsideWorkspace: inputs.bool('allow-outside-workspace', false),
  };
}
