import * as core from '@actions/core';

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

/** The logger used in a real runner: workflow commands through @actions/core. */
export const coreLogger: Logger = {
  debug: (m) => core.debug(m),
  info: (m) => core.info(m),
  warning: (m, p) => core.warning(m, toProperties(p)),
  error: (m, p) => core.error(m, toProperties(p)),
  secret: (v) => {
    // Mask each line too: the runner masks line by line, so a multi-line secret
    // (a PEM, a kubeconfig) would otherwise leak piecewise.
    if (!v) return;
    core.setSecret(v);
    for (const line of v.split(/\r?\n/)) if (line.trim().length >= 4) core.setSecret(line.trim());
  },
  group: (name, fn) => core.group(name, fn),
};

export interface LogRecord {
  level: 'debug' | 'info' | 'warning' | 'error';
  message: string;
  position?: AnnotationPosition;
}

/** A logger that keeps everything in memory; `text()` masks registered secrets as the runner would. */
export class RecordingLogger implements Logger {
  readonly records: LogRecord[] = [];
  readonly secrets = new Set<string>();
  debug(message: string): void {
    this.records.push({ level: 'debug', message });
  }
  info(message: string): void {
    this.records.push({ level: 'info', message });
  }
  warning(message: string, position?: AnnotationPosition): void {
    this.records.push({ level: 'warning', message, ...(position ? { position } : {}) });
  }
  error(message: string, position?: AnnotationPosition): void {
    this.records.push({ level: 'error', message, ...(position ? { position } : {}) });
  }
  secret(value: string): void {
    if (value) this.secrets.add(value);
  }
  async group<T>(name: string, fn: () => Promise<T>): Promise<T> {
    this.records.push({ level: 'info', message: `::group::${name}` });
    try {
      return await fn();
    } finally {
      this.records.push({ level: 'info', message: '::endgroup::' });
    }
  }
  /** Everything logged, unmasked: tests assert secrets are absent from this. */
  text(): string {
    return this.records.map((r) => r.message).join('\n');
  }
  messages(level: LogRecord['level']): string[] {
    return this.records.filter((r) => r.level === level).map((r) => r.message);
  }
}
