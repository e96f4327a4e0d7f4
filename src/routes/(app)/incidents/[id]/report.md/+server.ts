import type { RequestHandler } from './$types';
import { requireActor } from '$lib/server/auth/web';
import { orHttpError } from '$lib/server/http';
import { incidentReport } from '$lib/server/reports/incident-report';
import { reportMarkdown } from '$lib/server/reports/report-markdown';
import { runtime } from '$lib/server/runtime';

export const GET: RequestHandler = async (event) => {
	const actor = requireActor(event);
	const { database } = await runtime();
	const report = await orHttpError(() => incidentReport(database.db, actor, event.params.id));
	return new Response(reportMarkdown(report, event.locals.timeZone), {
		headers: {
			'content-type': 'text/markdown; charset=utf-8',
			'content-disposition': `attachment; filename="report-${report.incident.id}.md"`
		}
	});
};
