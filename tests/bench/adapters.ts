// Choosing the socket.io adapter for several Holdline processes (issue 20, part 2), by
// measuring the three candidates on the same workload:
//
//   node --import tsx tests/bench/adapters.ts [--adapters redis,redis-streams,postgres] [--seconds 3]
//
// For each adapter: three server processes (adapter-node.ts) on loopback ports 4700-4799,
// 10 socket.io clients (websocket) on each, all in one room. Measured:
// - serverSideEmit of a 30-200 byte binary Yjs update from process 1 to processes 2 and 3
//   (the path a stored update takes to the other processes' documents), at 200 and 1,000/s;
// - end to end: a client's cursor message → its process → adapter → clients on the other
//   processes (`socket.to(room).emit`), at the same rates;
// - each process's CPU time (process.cpuUsage, over IPC) per delivered message, and the
//   Redis or PostgreSQL server's CPU (shared with others on this machine: an indication);
// - what the adapter's connections being killed (CLIENT KILL / pg_terminate_backend, our
//   connections only) does to messages in flight: lost, or delivered late;
// - connection-state recovery when a client comes back on another process;
// - fetchSockets latency, and after one process is SIGKILLed.
// Times come from CLOCK_MONOTONIC (process.hrtime), which every process of the machine shares.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createClient } from 'redis';
import pg from 'pg';
import { io as connect, type Socket } from 'socket.io-client';
import { CONNECTION_NAME, nowUs, type AdapterName, type Command, type Reply } from './adapter-node.ts';
import { flag, percentile } from './report.ts';

const ADAPTERS = flag('adapters', 'redis,redis-streams,postgres').split(',') as AdapterName[];
const SECONDS = Number(flag('seconds', '3'));
const RATES = [200, 1000];
const NODES = 3;
const CLIENTS_PER_NODE = 10;
const BASE_PORT = 4700;
/** A delivery later than this during the reconnect trial counts as late. */
const LATE_MS = 100;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const ROOT = path.resolve(import.meta.dirname, '../..');
const RUN = `holdline-bench-adapters-${process.pid}`;
const DATABASE = `holdline_bench_adapters_${process.pid}`;
const DATABASE_URL = `postgres://postgres@127.0.0.1:5432/${DATABASE}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------- server processes
interface Node {
	index: number;
	child: ChildProcess;
	url: string;
	ask<T extends Reply['type']>(command: Command & { type: T }): Promise<Extract<Reply, { type: T }>>;
}

async function startNode(adapter: AdapterName, index: number, port: number): Promise<Node> {
	const child = spawn(process.execPath, ['--import', 'tsx', 'tests/bench/adapter-node.ts', adapter, String(port), String(index)], {
		cwd: ROOT,
		env: { ...process.env, REDIS_URL, BENCH_DATABASE_URL: DATABASE_URL, BENCH_PREFIX: `${RUN}:${adapter}` },
		stdio: ['ignore', 'inherit', 'inherit', 'ipc']
	});
	// One command of each type at a time per process: a reply answers the oldest waiting one of its type.
	const waiting = new Map<string, ((reply: Reply) => void)[]>();
	let ready: () => void;
	const started = new Promise<void>((resolve) => (ready = resolve));
	child.on('message', (reply: Reply) => {
		if (reply.type === 'ready') return ready();
		waiting.get(reply.type)?.shift()?.(reply);
	});
	// A process that died does not answer: the trial fails instead of waiting forever.
	const ask: Node['ask'] = (command) =>
		new Promise((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`${adapter} process ${index + 1}: no answer to ${command.type}`)), 30_000);
			const list = waiting.get(command.type) ?? [];
			list.push((reply: Reply) => {
				clearTimeout(timer);
				resolve(reply as never);
			});
			waiting.set(command.type, list);
			child.send(command);
		});
	await started;
	return { index, child, url: `http://127.0.0.1:${port}`, ask };
}

// ---------------------------------------------------------------- clients
interface Client {
	node: number;
	socket: Socket;
}
/** Cross-process cursor arrivals per phase: latencies (ms) and `${receiver}:${seq}` seen. */
const cursorArrivals = new Map<string, { latencies: number[]; seen: Set<string>; all: number }>();
function arrivalsOf(phase: string) {
	let entry = cursorArrivals.get(phase);
	if (!entry) cursorArrivals.set(phase, (entry = { latencies: [], seen: new Set(), all: 0 }));
	return entry;
}

interface ClientOptions {
	auth?: Record<string, unknown>;
	reconnection?: boolean;
	/** Called with each cursor message's phase and delay (ms). */
	onCursor?: (phase: string, delay: number) => void;
}
function connectClient(url: string, node: number, id: number, options: ClientOptions = {}) {
	const socket = connect(url, { transports: ['websocket'], forceNew: true, reconnection: options.reconnection ?? true, auth: options.auth });
	socket.on('cursor', (payload: { p: string; s: number; t: number }) => {
		options.onCursor?.(payload.p, (nowUs() - payload.t) / 1000);
		const entry = arrivalsOf(payload.p);
		entry.all++;
		if (node === 0) return; // same process as the sender: not through the adapter
		entry.latencies.push((nowUs() - payload.t) / 1000);
		entry.seen.add(`${id}:${payload.s}`);
	});
	return new Promise<Client>((resolve) => socket.once('connect', () => resolve({ node, socket })));
}

/** Open loop from the clients on process 1, in turn: `rate` cursor messages a second. */
async function sendCursors(senders: Client[], phase: string, rate: number, seconds: number): Promise<number> {
	const total = Math.round(rate * seconds);
	const start = performance.now();
	let seq = 0;
	while (seq < total) {
		const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate) + 1);
		for (; seq < due; seq++) senders[seq % senders.length]!.socket.emit('cursor', { p: phase, s: seq, t: nowUs() });
		await sleep(2);
	}
	return total;
}

// ---------------------------------------------------------------- the services' CPU
async function redisCpuSeconds(redis: ReturnType<typeof createClient>): Promise<number> {
	const info = await redis.info('cpu');
	const value = (name: string) => Number(new RegExp(`${name}:([0-9.]+)`).exec(info)?.[1] ?? 0);
	return value('used_cpu_user') + value('used_cpu_sys');
}
/** Every postgres process's CPU (clock ticks of 10 ms): the server is shared, so this is an indication. */
function postgresCpuSeconds(): number {
	let ticks = 0;
	for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
		try {
			const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
			if (!stat.includes('(postgres)')) continue;
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
		} catch {
			// the process ended meanwhile
		}
	}
	return ticks / 100;
}

// ---------------------------------------------------------------- one adapter
type Figures = Record<string, string>;
const ms = (values: number[], p: number) => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted.length ? percentile(sorted, p).toFixed(2) : '—';
};
const pair = (values: number[]) => `${ms(values, 50)} / ${ms(values, 99)}`;

async function measure(adapter: AdapterName, slot: number, redis: ReturnType<typeof createClient>, database: pg.Client): Promise<Figures> {
	const figures: Figures = {};
	const nodes: Node[] = [];
	for (let i = 0; i < NODES; i++) nodes.push(await startNode(adapter, i, BASE_PORT + slot * 10 + i));
	const clients: Client[] = [];
	for (const node of nodes) {
		for (let i = 0; i < CLIENTS_PER_NODE; i++) clients.push(await connectClient(node.url, node.index, clients.length));
	}
	const senders = clients.filter((client) => client.node === 0);
	// The heartbeat adapters learn of each other from their first messages: wait until
	// process 1 sees every socket of the room.
	for (let tries = 0; tries < 50; tries++) {
		const found = await nodes[0]!.ask({ type: 'fetch-sockets' });
		if (found.sockets === NODES * CLIENTS_PER_NODE) break;
		await sleep(200);
	}

	const serviceCpu = async () => (adapter === 'postgres' ? postgresCpuSeconds() : redisCpuSeconds(redis));
	type Cpu = Extract<Reply, { type: 'cpu' }> & { at: number };
	const cpu = async (): Promise<Cpu[]> => Promise.all(nodes.map(async (node) => ({ ...(await node.ask({ type: 'cpu' })), at: performance.now() })));
	const busy = (before: Cpu[], after: Cpu[], i: number) => after[i]!.user + after[i]!.system - before[i]!.user - before[i]!.system;
	// What each process spends doing nothing (timers, heartbeats, blocked XREADs) is not the
	// messages' cost: measured for a second, then subtracted from each trial's window.
	// Warm up first (JIT, pooled connections), unmeasured.
	await serverSideEmitTrial('warm-up', 200, 1);
	await sendCursors(senders, 'warm-up', 200, 1);
	await sleep(500);
	const idleStart = await cpu();
	await sleep(1000);
	const idleEnd = await cpu();
	const idlePerMs = nodes.map((_node, i) => busy(idleStart, idleEnd, i) / (idleEnd[i]!.at - idleStart[i]!.at));
	/** CPU time (µs) of process i between two samples, less its idle rate. */
	const cpuDelta = (before: Cpu[], after: Cpu[], i: number) =>
		Math.max(0, busy(before, after, i) - idlePerMs[i]! * (after[i]!.at - before[i]!.at));

	async function serverSideEmitTrial(phase: string, rate: number, seconds: number, during?: () => Promise<void>) {
		const emitted = nodes[0]!.ask({ type: 'emit', phase, rate, seconds });
		await during?.();
		const { sent } = await emitted;
		return sent;
	}
	async function collect(phase: string, sent: number) {
		const latencies: number[] = [];
		let received = 0;
		let reordered = 0;
		for (const node of nodes.slice(1)) {
			const reply = await node.ask({ type: 'arrivals', phase });
			received += new Set(reply.seqs).size;
			reply.seqs.forEach((seq, i) => i > 0 && seq < reply.seqs[i - 1]! && reordered++);
			latencies.push(...reply.latencies.map((us) => us / 1000));
		}
		return { latencies, lost: sent * (NODES - 1) - received, received, reordered };
	}

	for (const rate of RATES) {
		// serverSideEmit: process 1 → processes 2 and 3.
		let phase = `sse-${rate}`;
		let [before, serviceBefore] = [await cpu(), await serviceCpu()];
		const sent = await serverSideEmitTrial(phase, rate, SECONDS);
		await sleep(500);
		let [after, serviceAfter] = [await cpu(), await serviceCpu()];
		const sse = await collect(phase, sent);
		figures[`serverSideEmit ${rate}/s p50 / p99 (ms)`] = pair(sse.latencies);
		figures[`serverSideEmit ${rate}/s lost / reordered`] = `${sse.lost} / ${sse.reordered}`;
		figures[`serverSideEmit ${rate}/s CPU µs per message: sender / receiver`] =
			`${(cpuDelta(before, after, 0) / sent).toFixed(0)} / ${((cpuDelta(before, after, 1) + cpuDelta(before, after, 2)) / Math.max(1, sse.received)).toFixed(0)}`;
		figures[`serverSideEmit ${rate}/s ${adapter === 'postgres' ? 'PostgreSQL' : 'Redis'} CPU µs per message`] = (
			((serviceAfter - serviceBefore) * 1e6) /
			sent
		).toFixed(0);

		// End to end: a client on process 1 → process 1 → adapter → clients on processes 2 and 3.
		phase = `e2e-${rate}`;
		[before, serviceBefore] = [await cpu(), await serviceCpu()];
		const cursors = await sendCursors(senders, phase, rate, SECONDS);
		await sleep(500);
		[after, serviceAfter] = [await cpu(), await serviceCpu()];
		const e2e = arrivalsOf(phase);
		const totalCpu = nodes.reduce((sum, _node, i) => sum + cpuDelta(before, after, i), 0);
		figures[`room broadcast ${rate}/s end to end p50 / p99 (ms)`] = pair(e2e.latencies);
		figures[`room broadcast ${rate}/s lost`] = String(cursors * (NODES - 1) * CLIENTS_PER_NODE - e2e.seen.size);
		figures[`room broadcast ${rate}/s CPU µs per delivery (3 processes)`] = (totalCpu / Math.max(1, e2e.all)).toFixed(1);
		figures[`room broadcast ${rate}/s CPU µs: sender per message / receiver per delivery`] =
			`${(cpuDelta(before, after, 0) / cursors).toFixed(0)} / ${((cpuDelta(before, after, 1) + cpuDelta(before, after, 2)) / Math.max(1, e2e.seen.size)).toFixed(1)}`;
		figures[`room broadcast ${rate}/s ${adapter === 'postgres' ? 'PostgreSQL' : 'Redis'} CPU µs per message`] = (
			((serviceAfter - serviceBefore) * 1e6) /
			cursors
		).toFixed(0);
	}

	// The adapter's connections are cut (a Redis or PostgreSQL restart, a failover) while
	// both kinds of traffic flow at 200/s: what arrives, and when.
	{
		const phase = 'reconnect';
		const errorsBefore = (await cpu()).reduce((sum, reply) => sum + reply.errors, 0);
		let killed = 0;
		const cut = async () => {
			await sleep(2000);
			killed = await killAdapterConnections(adapter, redis, database);
		};
		const [sent, cursors] = await Promise.all([serverSideEmitTrial(phase, 200, 6, cut), sendCursors(senders, phase, 200, 6)]);
		await sleep(4000); // the PostgreSQL adapter listens again after 1-3 s
		const sse = await collect(phase, sent);
		const e2e = arrivalsOf(phase);
		const errors = (await cpu()).reduce((sum, reply) => sum + reply.errors, 0) - errorsBefore;
		const late = (values: number[]) => values.filter((value) => value > LATE_MS).length;
		figures['reconnect: connections killed / client errors seen'] = `${killed} / ${errors}`;
		const kinds: Record<string, number> = {};
		for (const reply of await cpu()) for (const [kind, count] of Object.entries(reply.errorKinds)) kinds[kind] = (kinds[kind] ?? 0) + count;
		errorsSeen[adapter] = kinds;
		figures[`reconnect: serverSideEmit lost / late (>${LATE_MS} ms) / max (ms)`] =
			`${sse.lost} / ${late(sse.latencies)} / ${Math.max(0, ...sse.latencies).toFixed(0)}`;
		figures[`reconnect: room broadcast lost / late / max (ms)`] =
			`${cursors * (NODES - 1) * CLIENTS_PER_NODE - e2e.seen.size} / ${late(e2e.latencies)} / ${Math.max(0, ...e2e.latencies).toFixed(0)}`;
	}

	// Connection-state recovery: a client on process 2 loses its connection, five messages
	// go to the room meanwhile, and it comes back on process 3 with its session id and offset.
	{
		await sendCursors(senders, 'csr-offset', 50, 0.1); // gives the client an offset to resume from
		const leaving = await connectClient(nodes[1]!.url, 1, 10_000, { reconnection: false });
		await sendCursors(senders, 'csr-offset', 50, 0.1);
		await sleep(300);
		const session = leaving.socket as unknown as { _pid?: string; _lastOffset?: string };
		const pid = session._pid;
		const offset = session._lastOffset;
		leaving.socket.io.engine.close(); // a transport close: recoverable, unlike a disconnect()
		await sleep(300);
		await sendCursors(senders, 'csr', 50, 0.1);
		await sleep(300);
		const delays: number[] = [];
		const back = await connectClient(nodes[2]!.url, 2, 10_001, {
			auth: pid && offset ? { pid, offset } : {},
			onCursor: (phase, delay) => phase === 'csr' && delays.push(delay)
		});
		await sleep(500);
		// Not `socket.recovered`: the client compares the server's pid with its own, and this
		// new client was handed the old one's session by hand. Replayed packets are the sign.
		figures['connection-state recovery on another process: offset held / replayed of 5 (min delay ms)'] =
			`${offset ? 'yes' : 'no'} / ${delays.length} (${delays.length ? Math.min(...delays).toFixed(0) : '—'})`;
		back.socket.disconnect();
	}

	// Presence across processes, then with one process SIGKILLed.
	{
		const fetches: number[] = [];
		const acks: number[] = [];
		for (let i = 0; i < 20; i++) fetches.push((await nodes[0]!.ask({ type: 'fetch-sockets' })).ms);
		acks.push(...(await nodes[0]!.ask({ type: 'ack-emit', count: 20 })).latencies);
		figures['fetchSockets p50 / p99 (ms), 3 processes up'] = pair(fetches);
		figures['serverSideEmitWithAck p50 / p99 (ms)'] = pair(acks);

		nodes[2]!.child.kill('SIGKILL');
		const killedAt = performance.now();
		await sleep(200);
		const [first, ack] = await Promise.all([nodes[0]!.ask({ type: 'fetch-sockets' }), nodes[0]!.ask({ type: 'ack-emit', count: 1 })]);
		figures['after SIGKILL: first fetchSockets (ms, sockets or error)'] = `${first.ms.toFixed(0)}, ${first.error || first.sockets}`;
		figures['after SIGKILL: serverSideEmitWithAck (ms, answers)'] = `${ack.latencies[0]!.toFixed(0)}, ${ack.errors ? 'timeout' : ack.responses}`;
		let healthy = first.error === '' && first.ms < 1000 ? first : null;
		while (!healthy && performance.now() - killedAt < 20_000) {
			const again = await nodes[0]!.ask({ type: 'fetch-sockets' });
			if (again.error === '' && again.ms < 1000) healthy = again;
			else await sleep(500);
		}
		figures['after SIGKILL: fetchSockets answers again after (s)'] = healthy ? ((performance.now() - killedAt) / 1000).toFixed(1) : '> 20';
	}

	for (const client of clients) client.socket.disconnect();
	for (const node of nodes) node.child.kill('SIGTERM');
	await Promise.all(nodes.map((node) => (node.child.exitCode === null && node.child.signalCode === null ? new Promise((r) => node.child.once('exit', r)) : null)));
	return figures;
}

/** Kills this run's adapter connections only: the Redis and PostgreSQL servers are shared. */
async function killAdapterConnections(adapter: AdapterName, redis: ReturnType<typeof createClient>, database: pg.Client): Promise<number> {
	if (adapter === 'postgres') {
		const result = await database.query(
			'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = $2',
			[DATABASE, CONNECTION_NAME]
		);
		return result.rowCount ?? 0;
	}
	const list = await redis.clientList();
	const ours = list.filter((client) => client.name === CONNECTION_NAME);
	for (const client of ours) await redis.clientKill({ filter: 'ID', id: Number(client.id) });
	return ours.length;
}

// ---------------------------------------------------------------- main
const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
await admin.connect();
await admin.query(`CREATE DATABASE ${DATABASE}`);
const database = new pg.Client({ connectionString: DATABASE_URL });
await database.connect();
// The PostgreSQL adapter sends binary payloads (Yjs updates) through this table, NOTIFY carries only the row id.
await database.query('CREATE TABLE socket_io_attachments (id bigserial UNIQUE, created_at timestamptz DEFAULT now(), payload bytea)');
const redis = createClient({ url: REDIS_URL });
await redis.connect();

const results: Record<string, Figures> = {};
/** The adapters' connection errors by kind (all processes), printed under the table. */
const errorsSeen: Record<string, Record<string, number>> = {};
try {
	for (const [slot, adapter] of ADAPTERS.entries()) {
		console.error(`measuring ${adapter}…`);
		results[adapter] = await measure(adapter, slot, redis, database);
	}
} finally {
	for (const key of await redis.keys(`${RUN}:*`)) await redis.del(key);
	await redis.quit();
	await database.end();
	await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [DATABASE]);
	await admin.query(`DROP DATABASE IF EXISTS ${DATABASE}`);
	await admin.end();
}

const rows = Object.keys(results[ADAPTERS[0]!] ?? {});
const width = Math.max(...rows.map((row) => row.length));
console.log(`\nsocket.io adapters — ${NODES} processes × ${CLIENTS_PER_NODE} clients, one room, ${SECONDS} s per rate\n`);
console.log(`| ${'figure'.padEnd(width)} | ${ADAPTERS.map((adapter) => adapter.padEnd(16)).join(' | ')} |`);
console.log(`| ${'-'.repeat(width)} | ${ADAPTERS.map(() => '-'.repeat(16)).join(' | ')} |`);
for (const row of rows) console.log(`| ${row.padEnd(width)} | ${ADAPTERS.map((adapter) => (results[adapter]![row] ?? '').padEnd(16)).join(' | ')} |`);
for (const [adapter, kinds] of Object.entries(errorsSeen)) {
	console.log(`\n${adapter}: connection errors during the reconnect trial`);
	for (const [kind, count] of Object.entries(kinds)) console.log(`  ${String(count).padStart(4)} × ${kind}`);
}
mkdirSync(path.join(ROOT, 'bench-results'), { recursive: true });
writeFileSync(path.join(ROOT, 'bench-results', 'adapters.json'), JSON.stringify({ date: new Date().toISOString(), results }, null, 2));
