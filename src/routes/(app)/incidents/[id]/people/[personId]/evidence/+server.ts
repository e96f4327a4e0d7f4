// A new evidence item (its files uploaded before, by SHA-256): JSON in, JSON out.
import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireActor } from '$lib/server/auth/web';
import { orHttpError } from '$lib/server/http';
import { DomainError } from '$lib/server/errors';
import { addEvidenceItem } from '$lib/server/protection/evidence';
import { evidenceStore } from '$lib/server/protection/evidence-store';
import { runtime } from '$lib/server/runtime';
import { evidenceSchema } from '$lib/shared/protection-validation';
import { fieldErrors } from '$lib/shared/validation';

export const POST: RequestHandler = async (event) => {
	const actor = requireActor(event);
	const body: unknown = await event.request.json().catch(() => null);
	const parsed = evidenceSchema.safeParse(body);
	if (!parsed.success) {
		const errors = fieldErrors(parsed.error);
		return json({ message: Object.values(errors)[0], errors }, { status: 400 });
	}
	const { database, config } = await runtime();
	const input = { ...parsed.data, incidentId: event.params.id, personId: event.params.personId };
	try {
		return json(await addEvidenceItem(database.db, evidenceStore(config.evidenceDir), actor, input), { status: 201 });
	} catch (e) {
		if (e instanceof DomainError && e.code === 'VALIDATION_FAILED') return json({ message: e.message, errors: { [e.field ?? 'form']: e.message } }, { status: 400 });
		return orHttpError(() => Promise.reject(e));
	}
};
