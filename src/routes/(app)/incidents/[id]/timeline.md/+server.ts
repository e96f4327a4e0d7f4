import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireActor } from '$lib/server/auth/web';
import { DomainError, httpStatus } from '$lib/server/errors';
import { exportTimeline, timelineMarkdown } from '$lib/server/incidents/export';
import { runtime } from '$lib/server/runtime';

export const GET: RequestHandler = async (event) => {
	const actor = requireActor(event);
	const { database } = await runtime();
	try {
		const exported = await exportTimeline(database.db, actor, event.params.id);
		return new Response(timelineMarkdown(exported), {
			headers: {
				'content-type': 'text/markdown; charset=utf-8',
				'content-disposition': `attachment; filename="timeline-${event.params.id}.md"`
			}
		});
	} catch (e) {
		if (e instanceof DomainError) error(httpStatus(e), e.message);
		throw e;
	}
};
