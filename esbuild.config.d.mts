import type { BuildOptions, Plugin } from 'esbuild';

export const bundlePlugins: Plugin[];
export const bundleOptions: BuildOptions;
export function benchOptions(entryPoints: Record<string, string>, outdir: string, extra?: BuildOptions): BuildOptions;
