type Env = Record<string, string | undefined>;

/**
 * Variables that make codex ignore the account's auth.json (codex.md §1, `load_auth`): an account process must
 * authenticate only from its own CODEX_HOME, never from whatever the user exported in the daemon's shell.
 */
export const AUTH_OVERRIDE_VARS = ['CODEX_API_KEY', 'CODEX_ACCESS_TOKEN', 'OPENAI_API_KEY'] as const;

/**
 * The environment for running codex for one account. Everything else passes through on purpose: PATH and HOME,
 * proxies, CODEX_CA_CERTIFICATE / SSL_CERT_FILE (corporate or test CAs) and CODEX_REFRESH_TOKEN_URL_OVERRIDE.
 */
export function codexEnv(home: string, base: Env = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) {
    if (value !== undefined) env[key] = value;
  }
  for (const key of AUTH_OVERRIDE_VARS) delete env[key];
  env.CODEX_HOME = home;
  return env;
}
