declare const __CCBRIDGE_VERSION__: string | undefined;

/** Injected by build.mjs; tests that import sources directly see the dev marker. */
export const VERSION: string = typeof __CCBRIDGE_VERSION__ === 'string' ? __CCBRIDGE_VERSION__ : '0.0.0-dev';
