export const TEST_PEERS: Record<string, string>;
export const PEERS_DIR: string;
export function peersPrefix(): string | null;
export function ensureTestPeers(): string;
export function peerBin(name: 'codex' | 'claude'): string;
