// The form action shared by "new playbook" and "edit playbook": validate, save a version,
// or answer with the problems located on their lines and the text kept as typed.
import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { requireActor } from '../auth/web.ts';
import { DomainError, httpStatus } from '../errors.ts';
import { runtime } from '../runtime.ts';
import { MAX_PLAYBOOK_LENGTH, playbookSourceSchema } from '../../shared/validation.ts';
import { savePlaybook } from './library.ts';
import type { PlaybookFormFailure, PlaybookIssue } from '../../shared/playbooks.ts';

async function sourceFrom(form: FormData): Promise<string> {
	const file = form.get('file');
	if (file instanceof File && file.size > 0) {
		// Too large to read: a text just over the limit gets the schema's own message.
		if (file.size > MAX_PLAYBOOK_LENGTH * 4) return 'x'.repeat(MAX_PLAYBOOK_LENGTH + 1);
		return file.text();
	}
	const source = form.get('source');
	// Browsers send a textarea's line breaks as CRLF; the person typed LF, and git agrees.
	return typeof source === 'string' ? source.replace(/\r\n?/g, '\n') : '';
}

export async function savePlaybookAction(event: RequestEvent) {
	const actor = requireActor(event);
	const source = await sourceFrom(await event.request.formData());
	const parsed = playbookSourceSchema.safeParse({ source });
	if (!parsed.success) {
		const message = parsed.error.issues[0]!.message;
		return fail(400, { source: source.slice(0, MAX_PLAYBOOK_LENGTH), message, issues: [] } satisfies PlaybookFormFailure);
	}
	const { database } = await runtime();
	let saved: { id: string; lang: string };
	try {
		saved = await savePlaybook(database.db, actor, parsed.data.source);
	} catch (e) {
		if (e instanceof DomainError) {
			return fail(httpStatus(e), {
				source,
				message: e.message,
				issues: (e.details as PlaybookIssue[] | undefined) ?? []
			} satisfies PlaybookFormFailure);
		}
		throw e;
	}
	redirect(303, `/playbooks/${saved.lang}/${saved.id}`);
}
