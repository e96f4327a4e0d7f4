import type { RequestHandler } from './$types';
import { requireActor } from '$lib/server/auth/web';
import { orHttpError } from '$lib/server/http';
import { exportTimeline, timelineMarkdown } from '$lib/server/incidents/export';
import { runtime } from '$lib/server/runtime';

export const GET: RequestHandler = async (event) => {
	const actor = requireActor(event);
	const { database } = await runtime();
	const exported = await orHttpError(() => exportTimeline(database.db, actor, event.params.id));
	// In the reader's language (the request's) and time zone.
	return new Response(timelineMarkdown(exported, event.locals.timeZone), {
		headers: {
			'content-type': 'text/markdown; charset=utf-8',
			'content-disposition': `attachment; filename="timeline-${exported.incident.id}.md"`
		}
	});
};
