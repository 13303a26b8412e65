import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The installation id codex keeps in `$CODEX_HOME/installation_id` and sends as
 * `client_metadata["x-codex-installation-id"]`. Each account's home is its own codex install, so the
 * bridge sends that account's id; when codex has not run there yet, one is created in codex's format
 * (codex then adopts it), so an account never shows up under two ids.
 */
export function codexInstallationId(codexHome: string): string {
  const file = join(codexHome, 'installation_id');
  try {
    const id = readFileSync(file, 'utf8').trim();
    if (UUID.test(id)) return id;
  } catch {
    // not created yet
  }
  const id = randomUUID();
  writeFileSync(file, id, { mode: 0o600 });
  return id;
}
