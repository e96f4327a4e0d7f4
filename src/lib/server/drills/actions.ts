// The facilitator's form actions, for the war room's page: parse, call one domain function,
// answer the form. The page spreads them into its actions.
import type { RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import { requireActor } from '../auth/web.ts';
import { formError, parseForm } from '../http.ts';
import { runtime } from '../runtime.ts';
import type { Database } from '../db/index.ts';
import type { Actor } from '../policy.ts';
import { addInjectSchema, facilitatorSchema, skipInjectSchema } from '../../shared/drill-validation.ts';
import { addInject, nameFacilitator, pauseDrill, resumeDrill, skipInject } from './facilitate.ts';

type Call<T> = (db: Database, actor: Actor, incidentId: string, data: T) => Promise<void>;

function action<S extends z.ZodType>(schema: S, call: Call<z.output<S>>) {
	return async (event: RequestEvent<{ id: string }>) => {
		const actor = requireActor(event);
		const form = await event.request.formData();
		const parsed = parseForm(schema, form);
		if (!parsed.ok) return parsed.failure;
		const { database } = await runtime();
		try {
			await call(database.db, actor, event.params.id, parsed.data);
		} catch (e) {
			return formError(e, form);
		}
		return undefined;
	};
}

const nothing = z.object({});

export const drillActions = {
	drillPause: action(nothing, (db, actor, id) => pauseDrill(db, actor, id)),
	drillResume: action(nothing, (db, actor, id) => resumeDrill(db, actor, id)),
	drillSkip: action(skipInjectSchema, (db, actor, id, data) => skipInject(db, actor, id, data.inject)),
	drillAdd: action(addInjectSchema, (db, actor, id, data) => addInject(db, actor, id, data)),
	drillFacilitator: action(facilitatorSchema, (db, actor, id, data) => nameFacilitator(db, actor, id, data.userId))
};
