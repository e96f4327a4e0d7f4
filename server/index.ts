// Holdline's production process: one HTTP port for the SvelteKit handler and socket.io.
// Migrations run here, inside the process that owns the database, before it listens.
import http from 'node:http';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readConfig, type Config } from '../src/lib/server/config.ts';
import { startRuntime, stopRuntime } from '../src/lib/server/runtime.ts';
import { attachRealtime } from '../src/lib/server/realtime/index.ts';
import { EVIDENCE_MAX_BYTES } from '../src/lib/shared/protection.ts';
import { answerFromCache, originFromEnvironment } from '../src/lib/server/public/status-cache.ts';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, next?: () => void) => void;

const HANDLER = new URL('../build/handler.js', import.meta.url);
/** Set by this process on every request, overwriting whatever the client sent. */
const PROTOCOL_HEADER = 'x-holdline-protocol';

export interface Holdline {
	url: string;
	close(): Promise<void>;
}

export async function start(config: Config = readConfig()): Promise<Holdline> {
	if (!existsSync(fileURLToPath(HANDLER))) {
		throw new Error('No production build found: run `npm run build` first.');
	}
	const runtime = await startRuntime(config);
	// adapter-node assumes https when it is told nothing, which makes every form post from
	// a plain-http page look cross-site. Unless the operator configured ORIGIN or
	// PROTOCOL_HEADER, tell it the protocol the request really came in on.
	const ownProtocol = !process.env.ORIGIN && !process.env.PROTOCOL_HEADER;
	if (ownProtocol) process.env.PROTOCOL_HEADER = PROTOCOL_HEADER;
	// adapter-node reads request bodies up to BODY_SIZE_LIMIT (512 KB by default), checked as they
	// stream. Evidence files are up to 20 MB each and are streamed to disk by their endpoint, which
	// refuses the 20 MB + 1st byte itself with a clear message: the limit sits just above that.
	process.env.BODY_SIZE_LIMIT ??= String(EVIDENCE_MAX_BYTES + 1024 * 1024);
	// Imported through a URL so that type checking does not walk into the build output.
	const { handler } = (await import(HANDLER.href)) as { handler: Handler };
	// Read after PROTOCOL_HEADER is settled: the origin SvelteKit will see, for the status cache's keys.
	const originOf = originFromEnvironment();
	const server = http.createServer((req, res) => {
		if (ownProtocol) req.headers[PROTOCOL_HEADER] = 'encrypted' in req.socket ? 'https' : 'http';
		// The public status page and feed under a spike: straight from memory, no SvelteKit (a miss
		// goes on to SvelteKit, whose hook renders and keeps it). See src/lib/server/public/status-cache.ts.
		if (answerFromCache(req, res, originOf)) return;
		handler(req, res);
	});
	const io = attachRealtime(server, () => Promise.resolve(runtime));

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(config.port, config.host, resolve);
	});
	if (process.env.HOLDLINE_EVENT_LOOP_STATS === '1') reportEventLoopOnSignal();
	const url = config.origin ?? `http://localhost:${config.port}`;
	console.log(`Holdline is listening on ${url} (database: ${runtime.database.kind})`);

	let closing: Promise<void> | undefined;
	return {
		url,
		close: () =>
			(closing ??= (async () => {
				// io.close() stops accepting, closes every socket, then closes the HTTP server;
				// server.close() alone would wait forever on open WebSockets.
				server.closeIdleConnections();
				await new Promise<void>((resolve) => io.close(() => resolve()));
				await stopRuntime();
			})())
	};
}

/**
 * For `npm run bench:realtime`: SIGUSR2 prints the event-loop delay since the last one and
 * the resident memory after a full collection (when started with --expose-gc), so that
 * memory per connection is not blurred by garbage waiting to be collected.
 */
function reportEventLoopOnSignal(): void {
	const histogram = monitorEventLoopDelay({ resolution: 5 });
	histogram.enable();
	// Garbage collection pauses, apart: a rare long pause delays every message of its window
	// but is a single sample of the event-loop histogram.
	const gc = { pauses: 0, totalMs: 0, maxMs: 0, over20: 0 };
	new PerformanceObserver((list) => {
		for (const entry of list.getEntries()) {
			gc.pauses++;
			gc.totalMs += entry.duration;
			gc.maxMs = Math.max(gc.maxMs, entry.duration);
			if (entry.duration > 20) gc.over20++;
		}
	}).observe({ entryTypes: ['gc'] });
	process.on('SIGUSR2', () => {
		const ms = (ns: number) => Math.round(ns / 1e4) / 100;
		const gcFigures = { gcPauses: gc.pauses, gcTotalMs: Math.round(gc.totalMs), gcMaxMs: Math.round(gc.maxMs * 10) / 10, gcOver20: gc.over20 };
		globalThis.gc?.();
		Object.assign(gc, { pauses: 0, totalMs: 0, maxMs: 0, over20: 0 });
		const { rss, heapUsed } = process.memoryUsage();
		const [rssKiB, heapKiB] = [rss, heapUsed].map((bytes) => Math.round(bytes / 1024));
		console.log(`EVENT_LOOP ${JSON.stringify({ p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max), rssKiB, heapKiB, ...gcFigures })}`);
		histogram.reset();
	});
}

/**
 * Closes Holdline gracefully on SIGTERM or SIGINT. A second signal while it closes changes
 * nothing: a service manager may send SIGTERM to every process of the unit, a terminal's
 * Ctrl-C reaches a relaunched process and its parent (server/garbage-collector.ts).
 */
export function closeOnSignals(holdline: Holdline): void {
	let stopping = false;
	const stop = (signal: NodeJS.Signals) => {
		if (stopping) return;
		stopping = true;
		console.log(`${signal} received: closing connections and the database.`);
		const force = setTimeout(() => {
			console.error('Shutdown took over 10 s; exiting anyway.');
			process.exit(1);
		}, 10_000);
		force.unref();
		holdline.close().then(
			() => process.exit(0),
			(error) => {
				console.error('Shutdown failed', error);
				process.exit(1);
			}
		);
	};
	process.on('SIGTERM', stop);
	process.on('SIGINT', stop);
}

/** Starts Holdline and keeps it up until a signal closes it; a failure to start ends the process with its message. */
export async function run(config?: Config): Promise<Holdline> {
	try {
		const holdline = await start(config);
		closeOnSignals(holdline);
		return holdline;
	} catch (error) {
		console.error(error instanceof Error ? error.message : error);
		process.exit(1);
	}
}

if (import.meta.url === new URL(process.argv[1] ?? '', 'file:').href) await run();
