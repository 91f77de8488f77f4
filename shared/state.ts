/**
 * What a main step hands to its post step, as typed entries: one `StateEntry` per value,
 * defined once and used on both sides, so the name and the shape cannot drift apart.
 */
import * as core from '@actions/core';

/** Where state lives. Behind an interface so logic stays testable. */
export interface StateStore {
  save(name: string, value: string): void;
  get(name: string): string;
}

/** The runner's store: GITHUB_STATE in the main step, STATE_<name> in the post step. */
export const runnerState: StateStore = {
  save: (name, value) => core.saveState(name, value),
  get: (name) => core.getState(name),
};

export interface StateEntry<T> {
  readonly name: string;
  save(store: StateStore, value: T): void;
  /** The saved value, or undefined when none was saved (or it is not of the expected shape). */
  load(store: StateStore): T | undefined;
}

/** A JSON value under `name`, checked by `isValid` when read back. */
export function jsonState<T>(name: string, isValid: (value: unknown) => value is T): StateEntry<T> {
  return {
    name,
    save: (store, value) => store.save(name, JSON.stringify(value)),
    load: (store) => {
      const text = store.get(name);
      if (!text) return undefined;
      try {
        const value: unknown = JSON.parse(text);
        return isValid(value) ? value : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

/** A string under `name` ('' is "not saved"). */
export function textState(name: string): StateEntry<string> {
  return {
    name,
    save: (store, value) => store.save(name, value),
    load: (store) => store.get(name) || undefined,
  };
}
