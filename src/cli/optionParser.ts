import { InvalidArgumentError } from 'commander';
import type * as z from 'zod';

/**
 * A commander argument parser from a zod schema: the option's value is checked where it is declared,
 * and commander reports a bad one as a usage error (exit 2) with `message`.
 */
export function optionParser<S extends z.ZodType>(schema: S, message: string): (raw: string) => z.output<S> {
  return (raw) => {
    const parsed = schema.safeParse(raw);
    if (!parsed.success) throw new InvalidArgumentError(message);
    return parsed.data;
  };
}
