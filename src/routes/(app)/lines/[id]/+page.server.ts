import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { requireActor } from '$lib/server/auth/web';
import { formError, orHttpError, parseForm } from '$lib/server/http';
import { runtime } from '$lib/server/runtime';
import { lineDetail } from '$lib/server/cleared-lines/library';
import { decideLineStep } from '$lib/server/cleared-lines/decide-line-step';
import { submitLineVersion } from '$lib/server/cleared-lines/submit-line-version';
import { setReviewBy } from '$lib/server/cleared-lines/set-review-by';
import { todayIso } from '$lib/shared/cleared-lines';
import { decisionSchema } from '$lib/shared/validation';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const { database } = await runtime();
	return { line: await orHttpError(() => lineDetail(database.db, actor, event.params.id)), today: todayIso(new Date()) };
};

async function act(event: RequestEvent, run: (form: FormData) => Promise<unknown>) {
	const form = await event.request.formData();
	try {
		await run(form);
		return { done: true };
	} catch (e) {
		return formError(e, form);
	}
}

export const actions: Actions = {
	decide: async (event) => {
		const actor = requireActor(event);
		const form = await event.request.clone().formData();
		const parsed = parseForm(decisionSchema, form);
		if (!parsed.ok) return parsed.failure;
		const { database } = await runtime();
		return act(event, () => decideLineStep(database.db, actor, { lineId: event.params.id, ...parsed.data }));
	},
	version: async (event) => {
		const actor = requireActor(event);
		const { database } = await runtime();
		return act(event, (form) => submitLineVersion(database.db, actor, event.params.id, { text: form.get('text') ?? '' }));
	},
	review: async (event) => {
		const actor = requireActor(event);
		const { database } = await runtime();
		return act(event, (form) => setReviewBy(database.db, actor, event.params.id, { reviewBy: form.get('reviewBy') ?? '' }));
	}
};
