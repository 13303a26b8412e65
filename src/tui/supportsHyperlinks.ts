/**
 * Whether the terminal shows OSC 8 hyperlinks, decided from the environment as the supports-hyperlinks
 * package does: FORCE_HYPERLINK overrides; never without a TTY, in a dumb terminal or in CI; otherwise
 * only the terminals known to support them. An unknown terminal gets none: a terminal that does not
 * understand the sequence may print it.
 */
export function supportsHyperlinks(env: Record<string, string | undefined>, isTTY: boolean): boolean {
  const force = env.FORCE_HYPERLINK;
  if (force !== undefined) return !(force.length > 0 && Number.parseInt(force, 10) === 0);
  if (!isTTY || env.TERM === 'dumb') return false;
  if (env.WT_SESSION !== undefined) return true; // Windows Terminal
  if (env.CI !== undefined || env.TEAMCITY_VERSION !== undefined) return false;
  const version = parseVersion(env.TERM_PROGRAM_VERSION ?? '');
  switch (env.TERM_PROGRAM) {
    case 'iTerm.app':
      return version.major > 3 || (version.major === 3 && version.minor >= 1);
    case 'WezTerm':
      return version.major >= 20_200_620;
    case 'vscode':
      return version.major > 1 || (version.major === 1 && version.minor >= 72);
    case 'ghostty':
      return true;
  }
  if (env.TERM === 'xterm-kitty' || env.KITTY_WINDOW_ID !== undefined) return true;
  if (env.VTE_VERSION !== undefined) {
    // 0.50.0 announced them but crashes on them.
    if (env.VTE_VERSION === '0.50.0') return false;
    const vte = parseVersion(env.VTE_VERSION);
    return vte.major > 0 || vte.minor >= 50;
  }
  return false;
}

/** "3.4.1", or VTE's "5202" (0.52.2) */
function parseVersion(text: string): { major: number; minor: number } {
  const compact = /^(\d{1,2})(\d{2})$/.exec(text);
  if (compact) return { major: 0, minor: Number(compact[1]) };
  const [major = 0, minor = 0] = text.split('.').map((n) => Number.parseInt(n, 10) || 0);
  return { major, minor };
}
