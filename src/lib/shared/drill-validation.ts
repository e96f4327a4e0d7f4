// The facilitator's forms: an inject added on the spot, a skipped inject, a new facilitator.
import { z } from 'zod';
import { CHANNELS } from './channels.ts';
import { text } from './validation.ts';
import { m } from '../paraglide/messages.js';

const optional = (max: number) =>
	text()
		.trim()
		.max(max, { error: () => m.drills_error_too_long({ max }) })
		.optional()
		.transform((v) => v || undefined);

export const addInjectSchema = z.object({
	channel: z.enum(CHANNELS, { error: () => m.drills_error_channel() }),
	from: text()
		.trim()
		.max(200, { error: () => m.drills_error_too_long({ max: 200 }) })
		.optional()
		.transform((v) => v || null),
	outlet: optional(200),
	deadline: optional(200),
	subject: optional(300),
	body: text(m.drills_error_body)
		.trim()
		.min(1, { error: () => m.drills_error_body() })
		.max(2000, { error: () => m.drills_error_too_long({ max: 2000 }) })
});
export type AddInject = z.output<typeof addInjectSchema>;

export const skipInjectSchema = z.object({ inject: z.coerce.number({ error: () => m.drills_error_inject() }).int().min(1, { error: () => m.drills_error_inject() }) });

export const facilitatorSchema = z.object({ userId: z.uuid({ error: () => m.drills_error_member() }) });
