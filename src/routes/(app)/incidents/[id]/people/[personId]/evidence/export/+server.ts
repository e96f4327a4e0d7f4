// The evidence export (ZIP), streamed as it is built; only with the person's consent.
import { Readable } from 'node:stream';
import type { RequestHandler } from './$types';
import { requireActor } from '$lib/server/auth/web';
import { orHttpError } from '$lib/server/http';
import { exportEvidence } from '$lib/server/protection/export';
import { evidenceStore } from '$lib/server/protection/evidence-store';
import { runtime } from '$lib/server/runtime';

export const GET: RequestHandler = async (event) => {
	const actor = requireActor(event);
	const { database, config } = await runtime();
	const input = { incidentId: event.params.id, personId: event.params.personId };
	const zip = await orHttpError(() => exportEvidence(database.db, evidenceStore(config.evidenceDir), actor, input));
	return new Response(Readable.toWeb(zip.stream) as ReadableStream, {
		headers: {
			'content-type': 'application/zip',
			'content-disposition': `attachment; filename="${zip.fileName}"`,
			'cache-control': 'private, no-store'
		}
	});
};
