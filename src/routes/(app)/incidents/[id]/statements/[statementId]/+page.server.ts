import { error } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { requireActor } from '$lib/server/auth/web';
import { formError, orHttpError, parseForm } from '$lib/server/http';
import { canOnIncident, type Actor } from '$lib/server/policy';
import type { Database } from '$lib/server/db';
import { runtime } from '$lib/server/runtime';
import { decide } from '$lib/server/statements/decide-step';
import { release } from '$lib/server/statements/release-version';
import { submitForApproval } from '$lib/server/statements/submit-for-approval';
import { listVersions, waitingStep } from '$lib/server/statements/versions';
import { draftVariants, findStatement } from '$lib/server/statements/statements';
import { addVariant, removeVariant } from '$lib/server/statements/pack-variants';
import { withdrawRelease } from '$lib/server/statements/withdraw-release';
import { startedFromLine } from '$lib/server/statements/fast-track';
import { packChannels } from '$lib/shared/packs';
import { decisionSchema, releaseSchema, variantSchema, withdrawalSchema } from '$lib/shared/validation';
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
		statement: { id: access.statement.id, title: access.statement.title, channel: access.statement.channel, channels: packChannels(access.statement) },
		incident: { id: access.incident.id, title: access.incident.title, drill: access.incident.drill },
		variants: await draftVariants(database.db, access.statement),
		clearedLine: await startedFromLine(database.db, access.incident, access.statement.clearedLineVersionId),
		canEdit: access.canEdit,
		versions,
		waiting: versions[0] ? waitingStep(versions[0], actor, access.standing) : null,
		canRelease: canOnIncident(actor, 'statements.release', access.standing),
		canBreakGlass: canOnIncident(actor, 'statements.break_glass', access.standing),
		me: { name: event.locals.user!.displayName, color: cursorColour(actor.userId) }
	};
};

/**
 * One form action: the form parsed with `schema` (field errors answer 400), then one domain
 * function with the person and the statement; a domain error answers as the form's error.
 */
function statementAction<S extends z.ZodType>(
	schema: S,
	run: (db: Database, actor: Actor, statementId: string, data: z.output<S>) => Promise<unknown>
) {
	return async (event: RequestEvent) => {
		const actor = requireActor(event);
		const form = await event.request.formData();
		const parsed = parseForm(schema, form);
		if (!parsed.ok) return parsed.failure;
		const { database } = await runtime();
		try {
			await run(database.db, actor, event.params.statementId, parsed.data);
			return { done: true };
		} catch (e) {
			return formError(e, form);
		}
	};
}

export const actions: Actions = {
	submit: statementAction(z.object({}), (db, actor, statementId) => submitForApproval(db, actor, statementId)),
	decide: statementAction(decisionSchema, (db, actor, statementId, data) => decide(db, actor, { statementId, ...data })),
	release: statementAction(releaseSchema, (db, actor, statementId, data) => release(db, actor, { statementId, ...data })),
	addVariant: statementAction(variantSchema, (db, actor, statementId, data) => addVariant(db, actor, { statementId, ...data })),
	removeVariant: statementAction(variantSchema, (db, actor, statementId, data) => removeVariant(db, actor, { statementId, ...data })),
	withdraw: statementAction(withdrawalSchema, (db, actor, statementId, data) => withdrawRelease(db, actor, { statementId, ...data }))
};
