// The public status page and feed, answered from memory. During a crisis thousands of
// readers refresh the same two documents, which change only when a statement is released,
// corrected or withdrawn, or the organization's settings change: each is rendered once
// (through SvelteKit, by the hook), kept with its compressed forms and ETag, and dropped on the
// domain event that changes it. Measured before this cache: 130-210 req/s, p99 400-600 ms;
// see BENCHMARKS.md ("Status page") for after.
//
// Kept on globalThis because the Node entry (its fast path, server/index.ts) and the SvelteKit
// bundle (the hook, which fills it) load separate copies of this module and must share one cache.
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import { subscribe } from '../events.ts';

export type StatusDocument = 'page' | 'feed';

/** A request for the public page or feed, as the cache names it. */
export interface StatusRequest {
	slug: string;
	document: StatusDocument;
}

export interface StatusEntry {
	organizationId: string;
	/** Kept to find the entries of an organization whose slug changes. */
	slug: string;
	document: StatusDocument;
	body: Buffer;
	gzip: Buffer;
	br: Buffer;
	/** Strong: a hash of the exact body, the same whichever encoding carries it. */
	etag: string;
	contentType: string;
	/**
	 * The headers of every answer from this entry: what the render set besides what the cache
	 * computes (security headers, the page's CSP), with the caching headers. Made once: the
	 * fast path's 304s cost little more than writing them.
	 */
	headers: Readonly<Record<string, string>>;
	renderedAt: Date;
}

/** What a render gives the cache to keep. */
export interface Rendered extends StatusRequest {
	organizationId: string;
	body: Uint8Array;
	contentType: string;
	headers: [string, string][];
}

/**
 * A CDN in front of a crisis page. `s-maxage=30`: the edge asks the origin at most every 30 s,
 * which is what absorbs a spike; short, because a correction or a withdrawal must reach readers
 * within a minute, and we do not purge CDNs. `stale-while-revalidate=30`: the reader who comes
 * after that never waits on the origin (the edge revalidates behind them, a cheap 304 from
 * memory), so a released text is at most ~60 s stale at the edge. `max-age=10` for browsers, which
 * nobody can purge: a reader pressing reload sees a correction within seconds.
 * `stale-if-error=86400`: if the origin falls over, the last statement stays up, which is the
 * one thing the page must never do (go blank in a crisis).
 */
export const STATUS_CACHE_CONTROL = 'public, max-age=10, s-maxage=30, stale-while-revalidate=30, stale-if-error=86400';

/** Headers the cache sets itself, or that belong to one connection: never copied from a render. */
const COMPUTED = new Set(['cache-control', 'connection', 'content-encoding', 'content-length', 'date', 'etag', 'keep-alive', 'transfer-encoding', 'vary', 'content-type']);

interface State {
	entries: Map<string, StatusEntry>;
	renders: Map<string, Promise<StatusEntry | null>>;
	/** Bumped by every invalidation: a render that began before one is answered, not kept. */
	generation: number;
	unsubscribe: () => void;
}

const KEY = Symbol.for('holdline.status-cache');
const slot = globalThis as unknown as { [KEY]?: State };
const state: State = (slot[KEY] ??= {
	entries: new Map(),
	renders: new Map(),
	generation: 0,
	unsubscribe: subscribe((event) => {
		if (event.type === 'public.changed' || event.type === 'organization.changed') forgetOrganization(event.organizationId);
		else if (event.type === 'peers.missed') clearStatusCache();
	})
});

const SLUG = '[a-z0-9]+(?:-[a-z0-9]+)*';
const STATUS_PATH = new RegExp(`^/status/(${SLUG})(/feed\\.xml)?$`);

/** The page or feed a path names (the query is ignored: it cannot change either, nor bypass the cache). */
export function statusRequest(pathname: string): StatusRequest | null {
	const match = STATUS_PATH.exec(pathname);
	return match ? { slug: match[1]!, document: match[2] ? 'feed' : 'page' } : null;
}

/**
 * Entries are per origin too: the feed's links are absolute, made from the origin SvelteKit
 * saw, so a request with another Host header must not be answered with them (nor fill the
 * cache for everyone else with its own).
 */
export function statusKey(origin: string, request: StatusRequest): string {
	return `${origin} ${request.document} ${request.slug}`;
}

export function cachedStatus(key: string): StatusEntry | undefined {
	return state.entries.get(key);
}

/** At most this many entries: each Host header a client invents costs one entry, not one each. */
const MAX_ENTRIES = 2000;

/**
 * Single flight: the first miss for a key renders; the misses that arrive meanwhile wait for it.
 * Resolves with the entry, or null when `render` gave nothing to keep (a 404, an error): then
 * each caller answers for itself. A render that an invalidation overtook answers the requests
 * that were waiting for it but is not kept.
 */
export function fillStatus(key: string, render: () => Promise<Rendered | null>): Promise<StatusEntry | null> {
	const running = state.renders.get(key);
	if (running) return running;
	const generation = state.generation;
	const filling = (async () => {
		const rendered = await render();
		if (!rendered) return null;
		const entry = entryFrom(rendered);
		if (generation === state.generation) {
			if (state.entries.size >= MAX_ENTRIES) state.entries.delete(state.entries.keys().next().value!);
			state.entries.set(key, entry);
		}
		return entry;
	})();
	const settled = () => {
		if (state.renders.get(key) === filling) state.renders.delete(key);
	};
	filling.then(settled, settled);
	state.renders.set(key, filling);
	return filling;
}

function entryFrom(rendered: Rendered): StatusEntry {
	const body = Buffer.from(rendered.body);
	const etag = `"${createHash('sha256').update(body).digest('base64url')}"`;
	const renderedAt = new Date();
	return {
		organizationId: rendered.organizationId,
		slug: rendered.slug,
		document: rendered.document,
		body,
		gzip: gzipSync(body, { level: 9 }),
		br: brotliCompressSync(body, {
			params: { [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length }
		}),
		etag,
		contentType: rendered.contentType,
		headers: {
			...Object.fromEntries(rendered.headers.filter(([name]) => !COMPUTED.has(name.toLowerCase()))),
			'cache-control': STATUS_CACHE_CONTROL,
			etag,
			vary: 'Accept-Encoding',
			'last-modified': renderedAt.toUTCString()
		},
		renderedAt
	};
}

/** The render's headers worth keeping, or null when it must not be kept for everyone. */
export function keptHeaders(headers: Headers): [string, string][] | null {
	if (headers.has('set-cookie')) return null;
	return [...headers];
}

function forgetOrganization(organizationId: string): void {
	state.generation++;
	// Requests from now on must not join a render that may have read the old state.
	state.renders.clear();
	for (const [key, entry] of state.entries) if (entry.organizationId === organizationId) state.entries.delete(key);
}

/** Forgets everything: for a process that may have missed domain events (a lost Redis connection). */
export function clearStatusCache(): void {
	state.generation++;
	state.renders.clear();
	state.entries.clear();
}

const EMPTY = Buffer.alloc(0);

export interface StatusAnswer {
	status: 200 | 304;
	headers: Readonly<Record<string, string>>;
	/** Empty for a 304 and for HEAD. */
	body: Buffer;
}

/**
 * The one answer from an entry, for both transports (node's `res` in the Node entry, a Response
 * in the hook). Pure: request headers in, status, headers and body out.
 */
export function answerStatus(
	entry: StatusEntry,
	request: { method: string; ifNoneMatch?: string | null; acceptEncoding?: string | null }
): StatusAnswer {
	if (matches(request.ifNoneMatch, entry.etag)) return { status: 304, headers: entry.headers, body: EMPTY };
	const encoding = chooseEncoding(request.acceptEncoding);
	const body = encoding === 'br' ? entry.br : encoding === 'gzip' ? entry.gzip : entry.body;
	const headers = { ...entry.headers, 'content-type': entry.contentType, 'content-length': String(body.length) };
	return { status: 200, headers: encoding ? { ...headers, 'content-encoding': encoding } : headers, body: request.method === 'HEAD' ? EMPTY : body };
}

/** RFC 9110 13.1.2: a list of entity tags or `*`; weak comparison (a CDN may weaken ours). */
function matches(ifNoneMatch: string | null | undefined, etag: string): boolean {
	if (!ifNoneMatch) return false;
	if (ifNoneMatch === etag || ifNoneMatch.trim() === '*') return true;
	return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/** br when accepted, else gzip, else none; `q=0` refuses a coding (RFC 9110 12.5.3). */
export function chooseEncoding(acceptEncoding: string | null | undefined): 'br' | 'gzip' | null {
	if (!acceptEncoding) return null;
	const accepted = new Map<string, number>();
	for (const part of acceptEncoding.toLowerCase().split(',')) {
		const [coding, ...params] = part.trim().split(';');
		const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
		accepted.set(coding!.trim(), q === undefined ? 1 : Number(q));
	}
	const allowed = (coding: string) => (accepted.get(coding) ?? accepted.get('*') ?? 0) > 0;
	return allowed('br') ? 'br' : allowed('gzip') ? 'gzip' : null;
}

/**
 * The origin adapter-node gives SvelteKit for a request (ORIGIN, else PROTOCOL_HEADER, HOST_HEADER
 * and PORT_HEADER, read once), so that the Node entry names an entry as the hook did. Should it
 * ever differ, the fast path only misses: SvelteKit's hook answers from the cache instead.
 */
export function originFromEnvironment(env: NodeJS.ProcessEnv = process.env): (headers: IncomingHttpHeaders) => string | null {
	if (env.ORIGIN) {
		const fixed = new URL(env.ORIGIN).origin;
		return () => fixed;
	}
	const [protocolHeader, hostHeader, portHeader] = [env.PROTOCOL_HEADER, env.HOST_HEADER, env.PORT_HEADER].map((h) => h?.toLowerCase());
	const one = (name: string | undefined, headers: IncomingHttpHeaders) => {
		const value = name ? headers[name] : undefined;
		return Array.isArray(value) ? (value.length === 1 ? value[0] : undefined) : value;
	};
	return (headers) => {
		const protocol = one(protocolHeader, headers) || 'https';
		const host = one(hostHeader, headers) || headers.host;
		const port = one(portHeader, headers);
		if (!host || protocol.includes(':')) return null;
		return port ? `${protocol}://${host}:${port}` : `${protocol}://${host}`;
	};
}

/**
 * The Node entry's fast path: a GET or HEAD for a page or feed in the cache is answered here,
 * with no Request object and no SvelteKit. False when it is not (SvelteKit answers, and fills).
 */
export function answerFromCache(req: IncomingMessage, res: ServerResponse, originOf: (headers: IncomingHttpHeaders) => string | null): boolean {
	if ((req.method !== 'GET' && req.method !== 'HEAD') || !req.url?.startsWith('/status/')) return false;
	const query = req.url.indexOf('?');
	const request = statusRequest(query < 0 ? req.url : req.url.slice(0, query));
	const origin = request && originOf(req.headers);
	const entry = origin && cachedStatus(statusKey(origin, request));
	if (!entry) return false;
	const answer = answerStatus(entry, { method: req.method, ifNoneMatch: req.headers['if-none-match'], acceptEncoding: req.headers['accept-encoding'] });
	res.writeHead(answer.status, answer.headers);
	res.end(answer.body);
	return true;
}
