/** The `parameters` input: a JSON or YAML map of runtime parameter name → value. */
import { parse as parseYaml } from 'yaml';
import { InputError } from '../../shared/errors.ts';

/** `parameters`: a JSON or YAML map of parameter name → value. */
export function parseParameters(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    const first = ((error as Error).message.split('\n')[0] ?? '').trim();
    throw new InputError(`Input 'parameters' is not valid JSON or YAML: ${first}`);
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError(
      'Input \'parameters\' must be a map of parameter name to value, e.g. {"lr": 0.01} or lines of `lr: 0.01`.',
    );
  }
  return value as Record<string, unknown>;
}
