/** Names the bridge serves and the Claude integration writes; one definition for both sides. */

/**
 * Model ids for Claude Code's tiers. The bridge resolves each per request to the tier setting, else
 * the routed account's model, so switching accounts never needs a new env block.
 */
export const TIER_ALIASES = { opus: 'ccbridge-opus', sonnet: 'ccbridge-sonnet', haiku: 'ccbridge-haiku' } as const;
export const ALIAS_MODEL_IDS = Object.values(TIER_ALIASES);

/** Request header that pins one request to an account (`ccbridge claude --account A`). */
export const PIN_HEADER = 'x-ccbridge-account';
