import type { ClaudeEnv } from '../shared/schemas/integration.js';
import type { Settings } from '../shared/schemas/settings.js';
import { PIN_HEADER, TIER_ALIASES } from '../shared/bridgeNames.js';

/**
 * Non-streaming calls wait for the whole translated answer, and the bridge may retry a turn on another
 * account before the first byte; a high-effort Codex turn can then pass Claude Code's 10-minute default.
 */
const API_TIMEOUT_MS = 30 * 60 * 1000;

export interface ClaudeEnvInput {
  /** The bridge's Anthropic base URL as bound (fallback port included), e.g. http://127.0.0.1:9001/anthropic. */
  baseUrl: string;
  token: string;
  settings: Pick<Settings, 'opusModel' | 'sonnetModel' | 'haikuModel' | 'subagentModel'>;
  /** Account id to pin every request of this session to (launcher / `env --account` only). */
  accountId?: string | null;
  /**
   * The usable context window of the model the session's requests route to (codexModels.ts
   * `usableContextWindow`). Claude Code assumes 1M tokens for a model id it does not know and would not
   * compact before the backend refuses the request; it keeps its own output and compaction reserve below this.
   */
  maxContextTokens: number;
}

/**
 * The env block Claude Code needs to talk to the bridge. Pure; the key order is stable so a re-apply
 * with the same input yields the same file.
 *
 * Deliberately left out:
 * - CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: it also turns off Claude Code's auto-updates and error
 *   reporting, a user choice; that traffic goes to Anthropic directly, never through the bridge.
 * - CLAUDE_CODE_ENABLE_GATEWAY_MODEL_DISCOVERY: discovery keeps only ids containing "claude"/"anthropic",
 *   so it would find none of the bridge's models.
 * - CLAUDE_CODE_MAX_OUTPUT_TOKENS: the Codex backend takes no output cap; the 32000 default is harmless.
 * - ANTHROPIC_API_KEY: interactive Claude Code asks to approve it and ignores a declined key silently;
 *   ANTHROPIC_AUTH_TOKEN (a Bearer header) needs no approval.
 */
export function buildClaudeEnv(input: ClaudeEnvInput): ClaudeEnv {
  const { settings } = input;
  const opus = settings.opusModel ?? TIER_ALIASES.opus;
  const sonnet = settings.sonnetModel ?? TIER_ALIASES.sonnet;
  const haiku = settings.haikuModel ?? TIER_ALIASES.haiku;
  const env: ClaudeEnv = {
    // Claude Code appends /v1/messages itself.
    ANTHROPIC_BASE_URL: clientBaseUrl(input.baseUrl),
    ANTHROPIC_AUTH_TOKEN: input.token,
    // The session starts on the strongest tier: the routed account's own model unless opusModel says otherwise.
    ANTHROPIC_MODEL: opus,
    ANTHROPIC_DEFAULT_OPUS_MODEL: opus,
    ANTHROPIC_DEFAULT_SONNET_MODEL: sonnet,
    // Also used for background tasks (titles, summaries); without it they fall back to the main model.
    ANTHROPIC_DEFAULT_HAIKU_MODEL: haiku,
    // Subagents run on the sonnet tier unless subagentModel names one model for all of them.
    CLAUDE_CODE_SUBAGENT_MODEL: settings.subagentModel ?? sonnet,
    // Experimental (anthropics/claude-code#17024): MCP tools reached through one CLI instead of one tool
    // schema each, so fewer schemas go through the Codex tool-schema subset. Releases without it ignore it.
    ENABLE_EXPERIMENTAL_MCP_CLI: 'true',
    // Drops the per-conversation billing block from system[0], keeping the prompt prefix cacheable upstream.
    CLAUDE_CODE_ATTRIBUTION_HEADER: '0',
    API_TIMEOUT_MS: String(API_TIMEOUT_MS),
    CLAUDE_CODE_MAX_CONTEXT_TOKENS: String(input.maxContextTokens),
  };
  if (input.accountId) env.ANTHROPIC_CUSTOM_HEADERS = `${PIN_HEADER}: ${input.accountId}`;
  return env;
}

/** A bridge bound to a wildcard address is reached through loopback. */
function clientBaseUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  if (url.hostname === '0.0.0.0') url.hostname = '127.0.0.1';
  else if (url.hostname === '[::]') url.hostname = '[::1]';
  return url.toString().replace(/\/$/, '');
}
