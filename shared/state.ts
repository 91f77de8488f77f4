import * as core from '@actions/core';

/** What a main step hands to its post step. Behind an interface so logic stays testable. */
export interface StateStore {
  save(name: string, value: string): void;
  get(name: string): string;
}

export const runnerState: StateStore = {
  save: (name, value) => core.saveState(name, value),
  get: (name) => core.getState(name),
};

export class MemoryState implements StateStore {
  readonly values = new Map<string, string>();
  save(name: string, value: string): void {
    this.values.set(name, value);
  }
  get(name: string): string {
    return this.values.get(name) ?? '';
  }
}
