import { describe, expect, it } from 'vitest';
import { parseBrowserLoginUrl, parseDeviceCodePrompt, parseLoginError } from '../../../src/codex/loginOutput.js';

// Text as printed by codex 0.169.0 (`codex login` captured here; device prompt from the binary's strings).
const BROWSER_STDERR =
  'WARNING: proceeding, even though we could not create PATH aliases\n' +
  'Starting local login server on http://localhost:1455.\nIf your browser did not open, navigate to this URL to authenticate:\n\n' +
  'https://auth.openai.com/oauth/authorize?response_type=code&client_id=app_EMoamEEZ73f0CkXaXp7hrann&redirect_uri=http%3A%2F%2F127.0.0.1%3A1455%2Fauth%2Fcallback&state=abc\n\n' +
  'On a remote or headless machine? Use `codex login --device-auth` instead.\n';

const DEVICE_STDOUT =
  "Welcome to Codex [v\x1b[90m0.169.0\x1b[0m]\n\x1b[90mOpenAI's command-line coding agent\x1b[0m\n\n" +
  'Follow these steps to sign in with ChatGPT using device code authorization:\n\n' +
  '1. Open this link in your browser and sign in to your account\n   \x1b[94mhttps://auth.openai.com/codex/device\x1b[0m\n\n' +
  '2. Enter this one-time code \x1b[90m(expires in 15 minutes)\x1b[0m\n   \x1b[94mABCD-12345\x1b[0m\n\n';

describe('codex login output', () => {
  it('finds the authorize URL once its line is complete', () => {
    expect(parseBrowserLoginUrl(BROWSER_STDERR)).toMatch(
      /^https:\/\/auth\.openai\.com\/oauth\/authorize\?response_type=code&.*state=abc$/,
    );
    const partial = BROWSER_STDERR.slice(0, BROWSER_STDERR.indexOf('state=abc') + 5);
    expect(parseBrowserLoginUrl(partial)).toBeNull();
  });

  it('finds the device verification URL and code (ANSI colours stripped)', () => {
    expect(parseDeviceCodePrompt(DEVICE_STDOUT)).toEqual({
      verificationUrl: 'https://auth.openai.com/codex/device',
      userCode: 'ABCD-12345',
    });
    expect(parseDeviceCodePrompt(DEVICE_STDOUT.slice(0, DEVICE_STDOUT.indexOf('2. Enter')))).toBeNull();
  });

  it('extracts the login error', () => {
    expect(
      parseLoginError(
        'WARNING: x could not create PATH aliases\nError logging in: error sending request for url (https://auth.openai.com/x)\n',
      ),
    ).toBe('error sending request for url (https://auth.openai.com/x)');
    expect(parseLoginError('')).toBeNull();
  });
});
