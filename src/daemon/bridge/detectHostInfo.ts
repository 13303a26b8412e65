import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { arch, platform, release } from 'node:os';
import type { HostInfo } from '../../translate/upstreamHeaders.js';

/** os_info's names for the common distributions (what codex prints in its User-Agent). */
const LINUX_NAMES: Record<string, string> = {
  debian: 'Debian',
  ubuntu: 'Ubuntu',
  fedora: 'Fedora',
  arch: 'Arch Linux',
  alpine: 'Alpine Linux',
  centos: 'CentOS',
  rhel: 'Red Hat Enterprise Linux',
  opensuse: 'openSUSE',
  'opensuse-leap': 'openSUSE',
  nixos: 'NixOS',
  linuxmint: 'Linux Mint',
  amzn: 'Amazon Linux AMI',
};

/** "12" → "12.0.0", "22.04" → "22.4.0", as os_info formats semantic versions. */
function semver(v: string): string {
  const nums = v
    .split('.')
    .map((n) => Number.parseInt(n, 10))
    .filter((n) => Number.isFinite(n));
  while (nums.length < 3) nums.push(0);
  return nums.slice(0, 3).join('.');
}

function linux(): { osType: string; osVersion: string } {
  try {
    const text = readFileSync('/etc/os-release', 'utf8');
    const field = (k: string) => new RegExp(`^${k}="?([^"\\n]*)"?$`, 'm').exec(text)?.[1] ?? '';
    const id = field('ID');
    const version = field('VERSION_ID');
    return {
      osType: LINUX_NAMES[id] ?? (field('NAME') || 'Linux'),
      osVersion: version ? semver(version) : 'Rolling Release',
    };
  } catch {
    return { osType: 'Linux', osVersion: semver(release()) };
  }
}

function mac(): { osType: string; osVersion: string } {
  try {
    return {
      osType: 'Mac OS',
      osVersion: semver(execFileSync('sw_vers', ['-productVersion'], { encoding: 'utf8' }).trim()),
    };
  } catch {
    return { osType: 'Mac OS', osVersion: semver(release()) };
  }
}

/** codex reports TERM_PROGRAM[/version], else TERM, else "unknown". */
function terminal(env: NodeJS.ProcessEnv): string {
  if (env.TERM_PROGRAM)
    return env.TERM_PROGRAM_VERSION ? `${env.TERM_PROGRAM}/${env.TERM_PROGRAM_VERSION}` : env.TERM_PROGRAM;
  return env.TERM || 'unknown';
}

export function detectHostInfo(env: NodeJS.ProcessEnv = process.env): HostInfo {
  const os =
    platform() === 'darwin'
      ? mac()
      : platform() === 'win32'
        ? { osType: 'Windows', osVersion: semver(release()) }
        : linux();
  const a = arch() === 'x64' ? 'x86_64' : arch() === 'arm64' ? (platform() === 'darwin' ? 'arm64' : 'aarch64') : arch();
  return { ...os, arch: a, terminal: terminal(env) };
}
