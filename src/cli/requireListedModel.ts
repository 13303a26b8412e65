import { controlApi } from '../client/controlApi.js';
import type { DaemonClient } from '../client/daemonClient.js';
import { CcbridgeError, errorMessage, usageError } from '../shared/errors.js';

/**
 * Refuses a model the account's codex model list does not have (a typo would only fail later, on every request),
 * naming the ones it has; `--force` skips the check. When the list cannot be read, says so rather than guess.
 */
export async function requireListedModel(
  client: DaemonClient,
  account: { id: string; name: string },
  model: string,
): Promise<void> {
  let ids: string[];
  try {
    ids = (await client.call(controlApi.models(account.id))).models.map((m) => m.id);
  } catch (err) {
    throw new CcbridgeError(
      'model_unchecked',
      `cannot check ${model} against ${account.name}'s model list (${errorMessage(err)}); --force sets it anyway`,
    );
  }
  if (!ids.includes(model))
    throw usageError(
      'unknown_model',
      `${account.name} has no model ${model} (it has: ${ids.join(', ') || 'none'}); --force sets it anyway`,
    );
}
