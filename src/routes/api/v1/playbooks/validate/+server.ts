import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { parsePlaybook } from '$lib/server/playbooks/parse';
import { playbookSourceSchema } from '$lib/shared/validation';
import { m } from '$lib/paraglide/messages';

/** The editor's as-you-type check: the same schema and validator as saving and `playbooks:check`. */
export const POST: RequestHandler = async ({ locals, request }) => {
	if (!locals.actor) error(401, m.error_log_in_first());
	const body = (await request.json().catch(() => null)) as { source?: unknown } | null;
	if (typeof body?.source !== 'string') error(400, m.error_send_source());
	const parsed = playbookSourceSchema.safeParse(body);
	if (!parsed.success) return json({ issues: [{ line: 1, message: parsed.error.issues[0]!.message }] });
	return json({ issues: parsePlaybook(parsed.data.source).issues });
};
