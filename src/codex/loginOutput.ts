/**
 * Parsers for `codex login` output, used where the app-server lacks `account/login/start` (codex.md §3):
 * the browser flow prints the authorize URL on stderr; the device flow prints its prompt on stdout.
 */

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

function clean(text: string): string {
  return text.replace(ANSI, '');
}

/** The `https://…/oauth/authorize?…` URL from `codex login` stderr, once it has been printed completely. */
export function parseBrowserLoginUrl(stderr: string): string | null {
  const lines = clean(stderr).split('\n');
  // The URL is followed by a blank line; until then the line may still be arriving.
  for (let i = 0; i < lines.length - 1; i++) {
    const url = /^\s*(https?:\/\/\S+\/oauth\/authorize\?\S+)\s*$/.exec(lines[i] ?? '')?.[1];
    if (url) return url;
  }
  return null;
}

export interface DeviceCodePrompt {
  verificationUrl: string;
  userCode: string;
}

/**
 * The verification URL and one-time code from `codex login --device-auth` stdout:
 * "1. Open this link in your browser and sign in to your account\n   <url>\n\n2. Enter this one-time code (expires in 15 minutes)\n   <code>".
 */
export function parseDeviceCodePrompt(stdout: string): DeviceCodePrompt | null {
  const lines = clean(stdout)
    .split('\n')
    .map((l) => l.trim());
  const codeAt = lines.findIndex((l) => /one-time code/i.test(l));
  if (codeAt < 0) return null;
  const userCode = lines.slice(codeAt + 1).find((l) => l.length > 0);
  const verificationUrl = lines
    .slice(0, codeAt)
    .map((l) => /(https?:\/\/\S+)/.exec(l)?.[1])
    .find(Boolean);
  if (!userCode || !verificationUrl) return null;
  return { verificationUrl, userCode };
}

/** The reason from "Error logging in: …" (or the last meaningful stderr line). */
export function parseLoginError(stderr: string): string | null {
  const lines = clean(stderr)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/bubblewrap|PATH aliases/.test(l));
  const explicit = lines.find((l) => l.startsWith('Error logging in:'));
  return explicit?.slice('Error logging in:'.length).trim() || lines.at(-1) || null;
}
