import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { requireActor } from '$lib/server/auth/web';
import { orHttpError } from '$lib/server/http';
import { runtime } from '$lib/server/runtime';
import { draftText, findStatement } from '$lib/server/statements/statements';

/** A stable colour per person, so their cursor looks the same on every screen. */
function colourOf(userId: string): string {
	const palette = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#e377c2', '#8c564b', '#17becf', '#bcbd22'];
	let h = 0;
	for (const c of userId) h = (h * 31 + c.charCodeAt(0)) >>> 0;
	return palette[h % palette.length]!;
}

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const { database } = await runtime();
	const access = await orHttpError(() => findStatement(database.db, actor, event.params.statementId));
	if (access.incident.id !== event.params.id) error(404, 'There is no such statement in this incident.');
	return {
		statement: { id: access.statement.id, title: access.statement.title, channel: access.statement.channel },
		incident: { id: access.incident.id, title: access.incident.title, drill: access.incident.drill },
		text: await draftText(database.db, access.statement.id),
		canEdit: access.canEdit,
		me: { name: event.locals.user!.displayName, color: colourOf(actor.userId) }
	};
};
