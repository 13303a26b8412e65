export interface FakeIdentity {
  email: string;
  planType: string;
  chatgptAccountId: string;
  chatgptUserId: string;
}
export interface FakeTokens {
  id_token: string;
  access_token: string;
  refresh_token: string;
  account_id: string | null;
}
export const FAKE_IDENTITY: FakeIdentity;
export function makeJwt(payload: Record<string, unknown>): string;
export function makeTokens(
  identity?: Partial<FakeIdentity>,
  opts?: { accessTtlSec?: number; serial?: number; now?: number },
): FakeTokens;
export function writeAuthJson(home: string, tokens: FakeTokens, opts?: { lastRefresh?: string }): string;
