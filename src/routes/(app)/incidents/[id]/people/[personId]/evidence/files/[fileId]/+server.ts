// One evidence file's original bytes, to someone the person allows, never cached, never run:
// images inline (the page blurs them), everything else as a download; each read is in the
// timeline. POST records that an image was shown unblurred.
import { Readable } from 'node:stream';
import type { RequestHandler } from './$types';
import { requireActor } from '$lib/server/auth/web';
import { orHttpError } from '$lib/server/http';
import { readEvidenceFile } from '$lib/server/protection/evidence';
import { evidenceStore } from '$lib/server/protection/evidence-store';
import { runtime } from '$lib/server/runtime';
import { extensionOf } from '$lib/server/protection/sniff';
import { isImage } from '$lib/shared/protection';

export const GET: RequestHandler = async (event) => {
	const actor = requireActor(event);
	const { database, config } = await runtime();
	const input = { incidentId: event.params.id, personId: event.params.personId, fileId: event.params.fileId };
	const file = (await orHttpError(() => readEvidenceFile(database.db, evidenceStore(config.evidenceDir), actor, input)))!;
	const download = `evidence-${file.sha256.slice(0, 16)}.${extensionOf(file.contentType)}`;
	return new Response(Readable.toWeb(file.stream) as ReadableStream, {
		headers: {
			'content-type': file.contentType,
			'content-length': String(file.size),
			'content-disposition': `${isImage(file.contentType) ? 'inline' : 'attachment'}; filename="${download}"`,
			'cache-control': 'private, no-store',
			'x-content-type-options': 'nosniff',
			'content-security-policy': "default-src 'none'; sandbox",
			'x-holdline-sha256': file.sha256
		}
	});
};

export const POST: RequestHandler = async (event) => {
	const actor = requireActor(event);
	const { database, config } = await runtime();
	const input = { incidentId: event.params.id, personId: event.params.personId, fileId: event.params.fileId, shown: true };
	await orHttpError(() => readEvidenceFile(database.db, evidenceStore(config.evidenceDir), actor, input));
	return new Response(null, { status: 204 });
};
