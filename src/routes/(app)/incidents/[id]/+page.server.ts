import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { createStatement, type NewStatement } from '$lib/server/statements/statements';
import { startFromLineSchema, statementSchema } from '$lib/shared/validation';
import { usableLines } from '$lib/server/cleared-lines/usable-lines';
import { can } from '$lib/server/policy';
import { requireActor } from '$lib/server/auth/web';
import { formError, orHttpError, parseForm } from '$lib/server/http';
import { loadWarRoom } from '$lib/server/incidents/queries';
import { ownPageOf } from '$lib/server/protection/person-page';
import { verifyTimeline } from '$lib/server/incidents/timeline';
import { runtime } from '$lib/server/runtime';
import { drillActions } from '$lib/server/drills/actions';
import { drillRoom } from '$lib/server/drills/room';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const { database } = await runtime();
	// A protected person who takes part only as themselves gets their own page, not the war room and its abuse.
	const own = await ownPageOf(database.db, actor, event.params.id);
	if (own) redirect(303, own);
	const room = await orHttpError(() => loadWarRoom(database.db, actor, event.params.id));
	return {
		room,
		verification: await verifyTimeline(database.db, room.state.incident.id),
		lines: can(actor, 'lines.view') && room.can.work ? await usableLines(database.db, actor) : [],
		me: actor.userId,
		drill: room.state.incident.drill ? await drillRoom(database.db, actor, room.state.incident.id) : null,
		serverNow: Date.now()
	};
};

/** Starts a statement from the parsed form and opens it; a domain error answers as the form's. */
async function startStatement<S extends z.ZodType>(event: RequestEvent, schema: S, input: (data: z.output<S>) => Omit<NewStatement, 'incidentId'>) {
	const actor = requireActor(event);
	const form = await event.request.formData();
	const parsed = parseForm(schema, form);
	if (!parsed.ok) return parsed.failure;
	const { database } = await runtime();
	let statementId: string;
	try {
		statementId = await createStatement(database.db, actor, { incidentId: event.params.id, ...input(parsed.data) });
	} catch (e) {
		return formError(e, form);
	}
	redirect(303, `/incidents/${event.params.id}/statements/${statementId}`);
}

export const actions: Actions = {
	createStatement: (event) => startStatement(event, statementSchema, (data) => data),
	startFromLine: (event) =>
		startStatement(event, startFromLineSchema, ({ lineVersionId, values }) => ({ templateId: null, clearedLine: { versionId: lineVersionId, values } })),
	...drillActions
};
