import type { Command } from 'commander';
import * as z from 'zod';

/**
 * One option's schema whose every failure reads `message`: commander's usage error then says what the value must be,
 * not which zod check failed.
 */
export function optionValue<S extends z.ZodType>(schema: S, message: string): z.ZodType<z.output<S>> {
  return z.unknown().transform((raw, ctx) => {
    const parsed = schema.safeParse(raw);
    if (parsed.success) return parsed.data;
    ctx.addIssue({ code: 'custom', message });
    return z.NEVER;
  });
}

/**
 * A command's options through its schema, once, at the start of its action: the schema is the options' one type. A bad
 * value is the usage error (exit 2) commander gives its own: `option '--days <n>' argument 'x' is invalid. <message>`.
 */
export function parseOptions<S extends z.ZodType>(cmd: Command, schema: S): z.output<S> {
  const opts = cmd.opts();
  const parsed = schema.safeParse(opts);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const key = issue.path[0];
  const option = cmd.options.find((o) => o.attributeName() === key);
  const what = option ? `option '${option.flags}' argument '${String(opts[String(key)])}' is invalid. ` : '';
  cmd.error(`error: ${what}${issue.message}`, { exitCode: 2, code: 'commander.invalidArgument' });
}
