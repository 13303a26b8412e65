import Conf from 'conf';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname } from 'node:path';
import * as z from 'zod';
import { CcbridgeError, errorMessage } from '../shared/errors.js';
import { STATE_SCHEMA_VERSION, StateFileSchema, type StateFile } from '../shared/schemas/state.js';
import { ensurePrivateDir } from './fsSecure.js';
import { migrateState } from './migrateState.js';
import { describeZodError } from '../shared/describeZodError.js';

type Listener = (state: StateFile) => void;

/**
 * The daemon's single copy of state.json. Reads come from memory; every mutation goes through
 * `update()`, which runs synchronously, validates and writes atomically (conf) before returning,
 * so concurrent control-API calls can never interleave and lose an update.
 */
export class StateStore {
  readonly #conf: Conf<Record<string, unknown>>;
  #state: StateFile;
  readonly #listeners = new Set<Listener>();

  private constructor(conf: Conf<Record<string, unknown>>, state: StateFile) {
    this.#conf = conf;
    this.#state = state;
  }

  /** Opens (or creates) the state file. A corrupt or invalid file is never overwritten. */
  static open(file: string): StateStore {
    ensurePrivateDir(dirname(file));
    const existed = existsSync(file);
    let conf: Conf<Record<string, unknown>>;
    try {
      conf = new Conf<Record<string, unknown>>({
        cwd: dirname(file),
        configName: basename(file, extname(file)),
        fileExtension: extname(file).slice(1),
        configFileMode: 0o600,
        clearInvalidConfig: false,
        accessPropertiesByDotNotation: false,
      });
    } catch (err) {
      throw corrupt(file, errorMessage(err));
    }
    let state: StateFile;
    try {
      // Read the bytes ourselves: conf would coerce a non-object file into an empty store.
      const raw: unknown = existed ? JSON.parse(readFileSync(file, 'utf8')) : { schemaVersion: STATE_SCHEMA_VERSION };
      if (
        !raw ||
        typeof raw !== 'object' ||
        Array.isArray(raw) ||
        typeof (raw as { schemaVersion?: unknown }).schemaVersion !== 'number'
      ) {
        throw corrupt(file, 'not a ccbridge state object with a schemaVersion');
      }
      state = StateFileSchema.parse(migrateState(raw as Record<string, unknown>));
    } catch (err) {
      if (err instanceof CcbridgeError) throw err;
      throw corrupt(file, err instanceof z.ZodError ? describeZodError(err) : errorMessage(err));
    }
    const store = new StateStore(conf, state);
    store.#write();
    return store;
  }

  get(): StateFile {
    return this.#state;
  }

  /**
   * Applies `fn` to a deep copy of the state; the copy is validated and persisted, then listeners
   * run. If `fn` throws, nothing changes.
   */
  update<T>(fn: (draft: StateFile) => T): T {
    const draft = structuredClone(this.#state);
    const result = fn(draft);
    this.#state = StateFileSchema.parse(draft);
    this.#write();
    for (const listener of this.#listeners) listener(this.#state);
    return result;
  }

  onChange(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #write(): void {
    this.#conf.store = this.#state as unknown as Record<string, unknown>;
  }
}

function corrupt(file: string, detail: string): CcbridgeError {
  return new CcbridgeError(
    'state_corrupt',
    `state file ${file} is invalid (${detail}); fix or move it away, or run \`ccbridge start --reset-state\` to set it aside and start fresh`,
  );
}
