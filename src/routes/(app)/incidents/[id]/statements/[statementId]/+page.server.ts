import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { requireActor } from '$lib/server/auth/web';
import { formError, orHttpError, parseForm } from '$lib/server/http';
import { canOnIncident } from '$lib/server/policy';
import { runtime } from '$lib/server/runtime';
import { decide } from '$lib/server/statements/decide-step';
import { release } from '$lib/server/statements/release-version';
import { submitForApproval } from '$lib/server/statements/submit-for-approval';
import { listVersions, waitingStep } from '$lib/server/statements/versions';
import { draftText, findStatement } from '$lib/server/statements/statements';
import { decisionSchema, releaseSchema } from '$lib/shared/validation';
import { cursorColour } from '$lib/shared/cursor-identity';
import { m } from '$lib/paraglide/messages';

export const load: PageServerLoad = async (event) => {
	event.depends('app:approvals');
	const actor = requireActor(event);
	const { database } = await runtime();
	const access = await orHttpError(() => findStatement(database.db, actor, event.params.statementId));
	if (access.incident.id !== event.params.id) error(404, m.statement_page_not_in_incident());
	const versions = await listVersions(database.db, access.statement.id);
	return {
		statement: { id: access.statement.id, title: access.statement.title, channel: access.statement.channel },
		incident: { id: access.incident.id, title: access.incident.title, drill: access.incident.drill },
		text: await draftText(database.db, access.statement.id),
		canEdit: access.canEdit,
		versions,
		waiting: versions[0] ? waitingStep(versions[0], actor, access.standing) : null,
		canRelease: canOnIncident(actor, 'statements.release', access.standing),
		canBreakGlass: canOnIncident(actor, 'statements.break_glass', access.standing),
		me: { name: event.locals.user!.displayName, color: cursorColour(actor.userId) }
	};
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
	submit: async (event) => {
		const actor = requireActor(event);
		const { database } = await runtime();
		return act(event, () => submitForApproval(database.db, actor, event.params.statementId));
	},
	decide: async (event) => {
		const actor = requireActor(event);
		const form = await event.request.clone().formData();
		const parsed = parseForm(decisionSchema, form);
		if (!parsed.ok) return parsed.failure;
		const { database } = await runtime();
		return act(event, () => decide(database.db, actor, { statementId: event.params.statementId, ...parsed.data }));
	},
	release: async (event) => {
		const actor = requireActor(event);
		const form = await event.request.clone().formData();
		const parsed = parseForm(releaseSchema, form);
		if (!parsed.ok) return parsed.failure;
		const { database } = await runtime();
		return act(event, () => release(database.db, actor, { statementId: event.params.statementId, ...parsed.data }));
	}
};
