import * as core from '@actions/core';
import { neutraliseCommands } from './commands.ts';

export interface AnnotationPosition {
  file?: string;
  line?: number;
  column?: number;
  title?: string;
}

/** What the logic layer may print. Injected so tests can record and inspect output. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string, position?: AnnotationPosition): void;
  error(message: string, position?: AnnotationPosition): void;
  /** Register a value that must never be printed (masked in the runner log). */
  secret(value: string): void;
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

function toProperties(position?: AnnotationPosition): core.AnnotationProperties {
  if (!position) return {};
  const props: core.AnnotationProperties = {};
  if (position.file !== undefined) props.file = position.file;
  if (position.line !== undefined) props.startLine = position.line;
  if (position.column !== undefined) props.startColumn = position.column;
  if (position.title !== undefined) props.title = position.title;
  return props;
}

/**
 * What to register for one secret value. A single-line value is masked whole. A multi-line
 * value (a PEM block) is masked line by line — the runner masks line by line, so it would
 * otherwise leak piecewise — except its `-----BEGIN/END …-----` armour and lines under 4
 * characters, which reveal nothing and would garble the log. Pass secret values only, never a
 * whole document (a kubeconfig, a JSON config): mask the credentials inside it instead.
 */
export function masksOf(value: string): string[] {
  if (!value) return [];
  const lines = value.split(/\r?\n/);
  if (lines.filter((l) => l.trim() !== '').length <= 1) return [value.trim() || value];
  return lines
    .map((l) => l.trim())
    .filter((l) => l.length >= 4 && !/^-----(BEGIN|END) [A-Z0-9 ]+-----$/.test(l));
}

/** The logger used in a real runner: workflow commands through @actions/core. */
export const coreLogger: Logger = {
  debug: (m) => core.debug(m),
  // core.info writes the text as it is; every other level escapes it as command data.
  info: (m) => core.info(neutraliseCommands(m)),
  warning: (m, p) => core.warning(m, toProperties(p)),
  error: (m, p) => core.error(m, toProperties(p)),
  secret: (v) => {
    for (const mask of masksOf(v)) core.setSecret(mask);
  },
  group: (name, fn) => core.group(name, fn),
};
