import type { RequestHandler } from './$types';
import { runtime } from '$lib/server/runtime';

/**
 * 200 when the database answers, 503 otherwise: what a load balancer needs to know. The
 * ping gives up after PING_TIMEOUT_MS, so this answers quickly while the database hangs.
 */
export const GET: RequestHandler = async () => {
	try {
		const { database } = await runtime();
		await database.ping();
		return new Response('ok\n', { headers: { 'content-type': 'text/plain', 'cache-control': 'no-store' } });
	} catch {
		return new Response('database unavailable\n', {
			status: 503,
			headers: { 'content-type': 'text/plain', 'cache-control': 'no-store' }
		});
	}
};
