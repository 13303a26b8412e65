import { spawn } from 'node:child_process';

type Env = Record<string, string | undefined>;

/** Whether a browser can show up for this user: always on macOS/Windows, with an X11/Wayland display on Linux. */
export function canOpenBrowser(env: Env = process.env, platform: NodeJS.Platform = process.platform): boolean {
  if (env.BROWSER) return true;
  if (platform === 'darwin' || platform === 'win32') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/** The command that opens `url`: `$BROWSER` when set (the common convention), else the platform opener. */
export function browserCommand(
  url: string,
  env: Env = process.env,
  platform: NodeJS.Platform = process.platform,
): [string, string[]] {
  if (env.BROWSER) return [env.BROWSER, [url]];
  if (platform === 'darwin') return ['open', [url]];
  if (platform === 'win32') return ['cmd', ['/c', 'start', '""', url]];
  return ['xdg-open', [url]];
}

/** Best effort: the URL is printed anyway, so a missing opener is not an error. */
export function openBrowser(url: string, env: Env = process.env): void {
  const [cmd, args] = browserCommand(url, env);
  try {
    const child = spawn(cmd, args, { detached: true, stdio: 'ignore', env: env as NodeJS.ProcessEnv });
    child.on('error', () => {});
    child.unref();
  } catch {
    // no opener on this machine
  }
}
