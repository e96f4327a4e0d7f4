import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { requireActor } from '$lib/server/auth/web';
import { formError, orHttpError, parseForm } from '$lib/server/http';
import { incidentReport, readLessons } from '$lib/server/reports/incident-report';
import { saveLessons } from '$lib/server/reports/save-lessons';
import { runtime } from '$lib/server/runtime';
import { text } from '$lib/shared/validation';
import { m } from '$lib/paraglide/messages';

// Server-rendered only: the charts are SVG from the server, the lessons a plain form.
export const csr = false;

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const { database } = await runtime();
	return { report: await orHttpError(() => incidentReport(database.db, actor, event.params.id)) };
};

const lessonsSchema = z.object({
	body: text()
		.max(20_000, { error: () => m.drills_error_too_long({ max: 20_000 }) })
		.default(''),
	revision: z.coerce.number().int().min(0)
});

export const actions: Actions = {
	lessons: async (event) => {
		const actor = requireActor(event);
		const form = await event.request.formData();
		const parsed = parseForm(lessonsSchema, form);
		if (!parsed.ok) return parsed.failure;
		const { database } = await runtime();
		try {
			await saveLessons(database.db, actor, event.params.id, parsed.data);
		} catch (e) {
			const failure = formError(e, form);
			// A conflict shows the text that won, with what this person typed kept beside it.
			if (failure.status === 409) return fail(409, { ...failure.data, current: await readLessons(database.db, event.params.id) });
			return failure;
		}
		return { saved: true };
	}
};
