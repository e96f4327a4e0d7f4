import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireActor } from '$lib/server/auth/web';
import { orHttpError } from '$lib/server/http';
import { exportTimeline } from '$lib/server/incidents/export';
import { runtime } from '$lib/server/runtime';

export const GET: RequestHandler = async (event) => {
	const actor = requireActor(event);
	const { database } = await runtime();
	const { incident, events, verification } = await orHttpError(() => exportTimeline(database.db, actor, event.params.id));
	return json(
		{
			incident: {
				id: incident.id,
				title: incident.title,
				drill: incident.drill,
				declaredAt: incident.declaredAt.toISOString(),
				firstStatementDueAt: incident.firstStatementDueAt.toISOString(),
				firstStatementAt: incident.firstStatementAt?.toISOString() ?? null,
				playbook: { id: incident.playbook.id, lang: incident.playbook.lang, sha256: incident.playbook.sha256 }
			},
			verification,
			events
		},
		{ headers: { 'content-disposition': `attachment; filename="timeline-${incident.id}.json"` } }
	);
};
