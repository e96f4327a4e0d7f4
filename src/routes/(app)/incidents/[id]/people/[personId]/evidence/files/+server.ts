// One evidence file, streamed in as the request's raw body (never held whole in memory):
// X-Holdline-Sha256 carries the SHA-256 the browser computed; the client's file name is not
// sent here (it is a label, given with the item). Who may add is checked before a byte is read.
import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireActor } from '$lib/server/auth/web';
import { orHttpError } from '$lib/server/http';
import { checkMayAddEvidence } from '$lib/server/protection/evidence';
import { evidenceStore } from '$lib/server/protection/evidence-store';
import { runtime } from '$lib/server/runtime';
import { DomainError } from '$lib/server/errors';
import { m } from '$lib/paraglide/messages';

export const POST: RequestHandler = async (event) => {
	const actor = requireActor(event);
	const { database, config } = await runtime();
	await orHttpError(() => checkMayAddEvidence(database.db, actor, event.params.id, event.params.personId));
	const length = event.request.headers.get('content-length');
	const body = event.request.body;
	return orHttpError(async () => {
		if (!body) throw new DomainError('VALIDATION_FAILED', m.protection_upload_empty());
		const stored = await evidenceStore(config.evidenceDir).receive(body, {
			sha256: (event.request.headers.get('x-holdline-sha256') ?? '').toLowerCase(),
			size: length === null ? undefined : Number(length)
		});
		return json(stored, { status: 201 });
	});
};
