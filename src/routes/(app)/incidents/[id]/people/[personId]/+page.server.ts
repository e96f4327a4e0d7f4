import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireActor } from '$lib/server/auth/web';
import { formError, orHttpError } from '$lib/server/http';
import { moveTask } from '$lib/server/incidents/tasks';
import { answerCheckIn, planCheckIns } from '$lib/server/protection/check-ins';
import { setConsent, setContact } from '$lib/server/protection/consent';
import { loadPersonPage } from '$lib/server/protection/person-page';
import { runtime } from '$lib/server/runtime';
import { checkInSchema, consentSchema, planSchema } from '$lib/shared/protection-validation';
import { fieldErrors } from '$lib/shared/validation';
import { m } from '$lib/paraglide/messages';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const { database } = await runtime();
	return { page: await orHttpError(() => loadPersonPage(database.db, actor, event.params.id, event.params.personId)), serverNow: Date.now() };
};

const ids = (event: { params: { id: string; personId: string } }) => ({ incidentId: event.params.id, personId: event.params.personId });

export const actions: Actions = {
	consent: async (event) => {
		const actor = requireActor(event);
		const form = await event.request.formData();
		const parsed = consentSchema.safeParse({
			visibility: form.get('visibility'),
			viewerIds: form.getAll('viewerIds').filter((v) => typeof v === 'string'),
			exportConsent: form.get('exportConsent') === 'on'
		});
		if (!parsed.success) return fail(400, { errors: fieldErrors(parsed.error), values: {} });
		const { database } = await runtime();
		try {
			await setConsent(database.db, actor, { ...ids(event), ...parsed.data });
		} catch (e) {
			return formError(e, form);
		}
		return { saved: 'consent' as const };
	},
	contact: async (event) => {
		const actor = requireActor(event);
		const form = await event.request.formData();
		const contactUserId = String(form.get('contactUserId') ?? '') || null;
		const { database } = await runtime();
		try {
			await setContact(database.db, actor, { ...ids(event), contactUserId });
		} catch (e) {
			return formError(e, form);
		}
		return { saved: 'contact' as const };
	},
	plan: async (event) => {
		const actor = requireActor(event);
		const form = await event.request.formData();
		const hours = (name: string) => Number(form.get(name)) * 60;
		const parsed = planSchema.safeParse({ firstDayMinutes: hours('firstDayHours'), thenMinutes: hours('thenHours') });
		if (!parsed.success) return fail(400, { errors: fieldErrors(parsed.error), values: {} });
		const { database } = await runtime();
		try {
			await planCheckIns(database.db, actor, { ...ids(event), ...parsed.data });
		} catch (e) {
			return formError(e, form);
		}
		return { saved: 'plan' as const };
	},
	checkIn: async (event) => {
		const actor = requireActor(event);
		const form = await event.request.formData();
		const parsed = checkInSchema.safeParse({ score: form.get('score'), note: form.get('note') ?? '' });
		if (!parsed.success) return fail(400, { errors: fieldErrors(parsed.error), values: { note: String(form.get('note') ?? '') } });
		const { database } = await runtime();
		try {
			await answerCheckIn(database.db, actor, { ...ids(event), ...parsed.data });
		} catch (e) {
			return formError(e, form);
		}
		return { saved: 'checkIn' as const };
	},
	task: async (event) => {
		const actor = requireActor(event);
		const form = await event.request.formData();
		const move = form.get('move') === 'reopen' ? 'reopen' : 'done';
		const { database } = await runtime();
		try {
			// Only this person's checklist: the task must be one of theirs.
			const page = await loadPersonPage(database.db, actor, event.params.id, event.params.personId);
			const taskId = String(form.get('taskId') ?? '');
			if (!page.checklist.some((t) => t.id === taskId)) return fail(404, { errors: { form: m.error_task_not_found() }, values: {} });
			await moveTask(database.db, actor, { incidentId: event.params.id, taskId, move });
		} catch (e) {
			return formError(e, form);
		}
		return { saved: 'task' as const };
	}
};
