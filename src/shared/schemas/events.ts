import * as z from 'zod';

export const EventLevelSchema = z.enum(['debug', 'info', 'warn', 'error']);
export type EventLevel = z.infer<typeof EventLevelSchema>;

export const EventCategorySchema = z.enum(['system', 'account', 'oauth', 'proxy', 'limits', 'integration']);
export type EventCategory = z.infer<typeof EventCategorySchema>;

export const EventSchema = z.object({
  id: z.number().int(),
  time: z.string(),
  level: EventLevelSchema,
  category: EventCategorySchema,
  message: z.string(),
  accountId: z.string().nullable().default(null),
  data: z.record(z.string(), z.unknown()).optional(),
});
export type CcbEvent = z.infer<typeof EventSchema>;
export type EventInput = Omit<CcbEvent, 'id' | 'time' | 'accountId'> & { accountId?: string | null };
