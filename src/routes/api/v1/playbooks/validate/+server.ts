import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { parsePlaybook } from '$lib/server/playbooks/parse';
import { MAX_PLAYBOOK_LENGTH } from '$lib/shared/validation';

/** The editor's as-you-type check: the same validator as saving and `playbooks:check`. */
export const POST: RequestHandler = async ({ locals, request }) => {
	if (!locals.actor) error(401, 'Log in first.');
	const body = (await request.json().catch(() => null)) as { source?: unknown } | null;
	if (typeof body?.source !== 'string') error(400, 'Send {"source": "…"}.');
	if (body.source.length > MAX_PLAYBOOK_LENGTH) {
		return json({ issues: [{ line: 1, message: `The playbook is over ${MAX_PLAYBOOK_LENGTH} characters.` }] });
	}
	const result = parsePlaybook(body.source);
	return json({ issues: result.issues });
};
