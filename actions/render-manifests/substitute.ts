import { LocatedError } from '../../shared/errors.ts';

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * Replaces `${NAME}` with its value. `$${NAME}` stays as the literal `${NAME}`. A `${NAME}`
 * with no value is an error at its line — never an empty string.
 */
export function substituteVars(
  text: string,
  vars: ReadonlyMap<string, string>,
  file: string,
): { text: string; errors: LocatedError[] } {
  const errors: LocatedError[] = [];
  const out = text.replace(
    /(\$?)\$\{([^}\s]*)\}/g,
    (whole, escape: string, name: string, offset: number) => {
      if (escape) return whole.slice(1);
      const value = vars.get(name);
      if (value === undefined) {
        const line = lineAt(text, offset);
        const hint = /^[A-Za-z_][A-Za-z0-9_]*$/.test(name)
          ? `add ${name}=… to 'vars'`
          : 'not a valid variable name';
        errors.push(
          new LocatedError(
            `${file}:${line}: \${${name}} has no value (${hint}; write $\${${name}} for a literal)`,
            file,
            line,
          ),
        );
        return whole;
      }
      return value;
    },
  );
  return { text: out, errors };
}

/** Replaces every occurrence of a literal token; returns how many were replaced. */
export function replaceToken(
  text: string,
  token: string,
  value: string,
): { text: string; count: number } {
  const parts = text.split(token);
  return { text: parts.join(value), count: parts.length - 1 };
}
