import { STATE_SCHEMA_VERSION } from '../shared/schemas/state.js';
import { CcbridgeError } from '../shared/errors.js';

type RawState = Record<string, unknown>;
/** `MIGRATIONS[n]` upgrades a file of schema version n to n + 1. */
export type Migrations = Record<number, (raw: RawState) => RawState>;

/** No released format predates version 1 yet; later schema changes add a step here. */
export const MIGRATIONS: Migrations = {};

/** Upgrades a parsed state file step by step to `target`; refuses files from a newer ccbridge. */
export function migrateState(
  raw: RawState,
  migrations: Migrations = MIGRATIONS,
  target = STATE_SCHEMA_VERSION,
): RawState {
  let current = raw;
  let version = Number(current.schemaVersion);
  if (version > target) {
    throw new CcbridgeError(
      'state_too_new',
      `state file has schema version ${version}, newer than this ccbridge understands (${target}); upgrade ccbridge`,
    );
  }
  while (version < target) {
    const step = migrations[version];
    if (!step) throw new CcbridgeError('state_unmigratable', `no migration from state schema version ${version}`);
    current = { ...step(current), schemaVersion: version + 1 };
    version += 1;
  }
  return { ...current, schemaVersion: target };
}
