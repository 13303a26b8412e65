import { runSteps, type StepCheck } from '../shared/runSteps.js';
import type { ClaudeEnv, IntegrationTestResult, SettingsFileStatus } from '../shared/schemas/integration.js';

export interface RoundTripInput {
  /** The bridge's root URL (its /health lives there). */
  bridgeUrl: string;
  /** The env block Claude Code would get; the call is made exactly as Claude Code would make it. */
  env: ClaudeEnv;
  settingsFile: { path: string; status: SettingsFileStatus };
}

const HEALTH_TIMEOUT_MS = 5_000;
const MESSAGES_TIMEOUT_MS = 120_000;

/** The headers Claude Code derives from the env block: Bearer token plus ANTHROPIC_CUSTOM_HEADERS lines. */
export function claudeHeaders(env: ClaudeEnv): Record<string, string> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${env.ANTHROPIC_AUTH_TOKEN ?? ''}`,
    'anthropic-version': '2023-06-01',
    'content-type': 'application/json',
  };
  for (const line of (env.ANTHROPIC_CUSTOM_HEADERS ?? '').split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

function settingsCheck(file: RoundTripInput['settingsFile']): StepCheck {
  const detail: Record<SettingsFileStatus, string> = {
    'up-to-date': `${file.path} holds this env block`,
    outdated: `${file.path} does not hold the current env block; run \`ccbridge apply-claude\` (or start sessions with \`ccbridge claude\`)`,
    missing: `${file.path} does not exist; run \`ccbridge apply-claude\` (or start sessions with \`ccbridge claude\`)`,
    invalid: `${file.path} is not valid JSON; fix it, then run \`ccbridge apply-claude\``,
  };
  return async () => ({ status: file.status === 'up-to-date' ? 'ok' : 'warn', detail: detail[file.status] });
}

/**
 * The message of an Anthropic-style error body: the bridge's own errors say what to do. Anything else
 * answered from whatever listens there, so the start of the body gets a hint.
 */
function errorDetail(status: number, text: string, url: string): string {
  try {
    const message = (JSON.parse(text) as { error?: { message?: string } }).error?.message;
    if (message) return `HTTP ${status}: ${message}`;
  } catch {
    // not JSON
  }
  const start = text.trim().slice(0, 200);
  const hint = status === 401 ? ' (the token was rejected)' : status === 404 ? ` (nothing serves ${url})` : '';
  return `HTTP ${status}${start ? `: ${start}` : ''}${hint}`;
}

interface MessageReply {
  type?: string;
  model?: string;
  content?: Array<{ type?: string; text?: string }>;
  usage?: { input_tokens?: number; output_tokens?: number };
}

/**
 * A real round trip through the bridge with the generated settings: the settings file, the bridge's
 * /health, then a tiny `messages` call made the way Claude Code makes it. Steps after a failure are skipped.
 */
export async function claudeRoundTrip(
  input: RoundTripInput,
  fetchImpl: typeof fetch = fetch,
): Promise<IntegrationTestResult> {
  const baseUrl = input.env.ANTHROPIC_BASE_URL ?? '';
  const model = input.env.ANTHROPIC_MODEL ?? '';
  const url = `${baseUrl}/v1/messages`;
  const { ok, steps } = await runSteps([
    ['settings file', settingsCheck(input.settingsFile)],
    [
      'bridge health',
      async () => {
        const res = await fetchImpl(`${input.bridgeUrl}/health`, { signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) });
        const body = (await res.json().catch(() => ({}))) as { status?: string; version?: string };
        if (!res.ok) return { status: 'failed', detail: `HTTP ${res.status} from ${input.bridgeUrl}/health` };
        return { status: 'ok', detail: `${input.bridgeUrl} is up${body.version ? ` (ccbridge ${body.version})` : ''}` };
      },
    ],
    [
      'messages',
      async () => {
        const res = await fetchImpl(url, {
          method: 'POST',
          headers: claudeHeaders(input.env),
          body: JSON.stringify({
            model,
            max_tokens: 32,
            messages: [{ role: 'user', content: 'Reply with the single word OK.' }],
          }),
          signal: AbortSignal.timeout(MESSAGES_TIMEOUT_MS),
        });
        const text = await res.text();
        if (!res.ok) return { status: 'failed', detail: errorDetail(res.status, text, url) };
        const reply = JSON.parse(text) as MessageReply;
        if (reply.type !== 'message')
          return { status: 'failed', detail: `HTTP ${res.status} but the body is not an Anthropic message` };
        const said = (reply.content ?? [])
          .filter((b) => b.type === 'text')
          .map((b) => b.text ?? '')
          .join('')
          .trim();
        const usage = reply.usage
          ? `, ${reply.usage.input_tokens ?? 0} in / ${reply.usage.output_tokens ?? 0} out tokens`
          : '';
        return { status: 'ok', detail: `${reply.model ?? model} replied ${JSON.stringify(said.slice(0, 60))}${usage}` };
      },
    ],
  ]);
  return { ok, baseUrl, model, steps };
}
