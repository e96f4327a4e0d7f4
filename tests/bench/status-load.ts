// The status load of `npm run bench:status`'s second part: `rate` requests per second on the
// page, held steady until SIGTERM, then the result printed as JSON (in autocannon's shape).
//   node --import tsx tests/bench/status-load.ts <url> <rate> <connections>
//
// It shares core 1 with the co-editing benchmark's clients, whose latencies it must not
// inflate, so it is as cheap as a load generator can be: keep-alive connections written to
// directly (one prepared request), responses counted by their Content-Length, a pacer every
// 5 ms. autocannon was tried first: one instance at overallRate 2,000 spends each second's
// budget in its first ~50 ms (saturating the server meanwhile), and 25 staggered instances
// (25 Node processes) took enough of core 1 to put the co-editing p99 at 52-65 ms while the
// server's event loop stayed as quiet as without them (measured).
import net from 'node:net';
import type { AutocannonResult } from './status-autocannon.ts';
import { percentile } from './report.ts';

const [url, rate, connectionCount] = process.argv.slice(2).map((a, i) => (i === 0 ? a : Number(a))) as [string, number, number];
const target = new URL(url);
const REQUEST = Buffer.from(`GET ${target.pathname} HTTP/1.1\r\nHost: ${target.host}\r\nAccept-Encoding: br, gzip\r\n\r\n`);
const TICK_MS = 5;
const HEAD_END = Buffer.from('\r\n\r\n');
const LAST_CHUNK = Buffer.from('\r\n0\r\n\r\n');

const latencies: number[] = [];
const codes = new Map<number, number>();
let bytes = 0;
let errors = 0;
let behind = 0;

class Connection {
	private readonly socket: net.Socket;
	private pending: Buffer = Buffer.alloc(0);
	private sentAt = 0;
	busy = false;

	constructor(private readonly idle: (c: Connection) => void) {
		this.socket = net.connect(Number(target.port), target.hostname);
		this.socket.setNoDelay(true);
		this.socket.on('connect', () => idle(this));
		this.socket.on('data', (chunk) => this.read(chunk));
		this.socket.on('error', () => errors++);
	}

	send(): void {
		this.busy = true;
		this.sentAt = performance.now();
		this.socket.write(REQUEST);
	}

	/** One response at a time (no pipelining): done once its head and body are in. */
	private read(chunk: Buffer): void {
		bytes += chunk.length;
		this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
		const headEnd = this.pending.indexOf(HEAD_END);
		if (headEnd < 0) return;
		const head = this.pending.subarray(0, headEnd).toString('latin1');
		const length = /\r\ncontent-length: *(\d+)/i.exec(head)?.[1];
		let end: number;
		if (length !== undefined) end = headEnd + 4 + Number(length);
		else {
			const last = this.pending.indexOf(LAST_CHUNK, headEnd);
			end = last < 0 ? Infinity : last + LAST_CHUNK.length;
		}
		if (this.pending.length < end) return;
		this.pending = this.pending.subarray(end);
		const code = Number(head.slice(9, 12));
		codes.set(code, (codes.get(code) ?? 0) + 1);
		latencies.push(performance.now() - this.sentAt);
		this.busy = false;
		this.idle(this);
	}

	close(): void {
		this.socket.destroy();
	}
}

// The pacer: `rate` tokens a second, spent on whichever connection is free.
let tokens = 0;
const free: Connection[] = [];
const spend = () => {
	while (tokens >= 1 && free.length) {
		tokens--;
		free.pop()!.send();
	}
};
const connections = Array.from({ length: connectionCount }, () => new Connection((c) => (free.push(c), spend())));
const started = performance.now();
let last = started;
const pacer = setInterval(() => {
	const now = performance.now();
	tokens += ((now - last) / 1000) * rate;
	last = now;
	// A late timer is caught up; beyond 50 ms of backlog (every connection busy: the server is
	// behind), requests are counted as not sent rather than sent later in a burst.
	const backlog = (rate * 50) / 1000;
	if (tokens > backlog) {
		behind += Math.floor(tokens - backlog);
		tokens = backlog;
	}
	spend();
}, TICK_MS);

process.once('SIGTERM', () => {
	clearInterval(pacer);
	for (const c of connections) c.close();
	const seconds = (performance.now() - started) / 1000;
	latencies.sort((a, b) => a - b);
	const result: AutocannonResult & { behind: number } = {
		requests: { average: latencies.length / seconds, total: latencies.length },
		latency: { p50: percentile(latencies, 50), p99: percentile(latencies, 99), average: latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length) },
		throughput: { total: bytes },
		errors,
		timeouts: 0,
		statusCodeStats: Object.fromEntries([...codes].map(([code, count]) => [String(code), { count }])),
		behind
	};
	console.log(`STATUS_LOAD ${JSON.stringify(result)}`);
	process.exit(0);
});
