// Holdline as three processes on one PostgreSQL and one Redis (issue 20): real processes on
// loopback ports, real socket.io and Yjs clients spread over them. Editors type into one
// statement from all three; war-room commands race from different processes; one process is
// SIGKILLed in the middle of the burst and its clients move to the others. Afterwards every
// document agrees, no acknowledged edit is missing, each task moved by two people at once
// was moved once, and the timeline verifies. PGlite cannot be shared, so this runs on the
// PostgreSQL of TEST_DATABASE_URL (CI), else the local one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { createClient } from 'redis';
import { io as connect, type Socket } from 'socket.io-client';
import * as Y from 'yjs';
import { applyAwarenessUpdate, Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { DEMO_PASSWORD } from '../../src/lib/server/demo/seed.ts';
import { openDatabase, type DatabaseHandle } from '../../src/lib/server/db/index.ts';
import { clusterKey } from '../../src/lib/server/realtime/cluster.ts';
import { statements, tasks } from '../../src/lib/server/db/schema/index.ts';
import { readTimeline, verifyTimeline } from '../../src/lib/server/incidents/timeline.ts';
import type { TimelineEventView } from '../../src/lib/shared/incident-state.ts';
import { createPostgresDatabase } from '../helpers/database.ts';
import { logInOverHttp, startServer, type RunningServer } from '../helpers/server.ts';
import { PublicRelease } from '../helpers/public-release.ts';
import { newStatement, readDocument } from '../helpers/statements.ts';
import { seeded, YjsClient } from '../helpers/yjs-client.ts';

const POSTGRES = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Ack = { ok: boolean; code?: string; events?: TimelineEventView[] };

/** A war-room socket that keeps every incident event it hears, live. */
async function watcher(url: string, cookie: string, incidentId: string) {
	const socket: Socket = connect(url, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie } });
	await new Promise<void>((resolve, reject) => {
		socket.once('connect', () => resolve());
		socket.once('connect_error', reject);
	});
	const heard: TimelineEventView[] = [];
	socket.on('incident:events', ({ events }: { events: TimelineEventView[] }) => heard.push(...events));
	const joined = (await socket.emitWithAck('incident:join', { incidentId, afterSeq: 0 })) as Ack;
	if (!joined.ok) throw new Error(`join refused: ${joined.code}`);
	heard.push(...joined.events!);
	const command = (payload: Record<string, unknown>) => socket.timeout(10_000).emitWithAck('incident:command', { incidentId, ...payload }) as Promise<Ack>;
	return { socket, heard, command, seqs: () => [...new Set(heard.map((e) => e.seq))].sort((a, b) => a - b) };
}

describe('three Holdline processes on one PostgreSQL and Redis', () => {
	let database: { url: string; drop(): Promise<void> };
	let db: DatabaseHandle;
	let servers: RunningServer[] = [];

	beforeAll(async () => {
		database = await createPostgresDatabase(POSTGRES);
		// Started at once, on an empty database: migrations and the demo seed run once.
		servers = await Promise.all([1, 2, 3].map(() => startServer({ DATABASE_URL: database.url, REDIS_URL: REDIS, HOLDLINE_SEED_DEMO: '1' })));
		db = await openDatabase({ databaseUrl: database.url });
	}, 90_000);

	afterAll(async () => {
		for (const server of servers) server.process.kill('SIGTERM');
		await Promise.all(servers.map((s) => s.exited));
		await db?.close();
		// The adapter's stream of this cluster (Redis keeps up to 10,000 entries of it).
		const redis = createClient({ url: REDIS });
		await redis.connect();
		await redis.del(`${clusterKey(database.url)}:stream`);
		await redis.close();
		await database?.drop();
	});

	it('shows someone joining on one process the cursors set on another, and forgets them once their editor leaves', { timeout: 60_000 }, async () => {
		const [p1, p2] = servers as [RunningServer, RunningServer];
		const cm = await logInOverHttp(p1.url, 'cm@acme.test', DEMO_PASSWORD);
		const legal = await logInOverHttp(p2.url, 'legal@acme.test', DEMO_PASSWORD);
		const statementId = await newStatement(p1.url, cm);
		/** A co-editor's awareness on one process: what it hears, and what its join was told. */
		const editor = async (url: string, cookie: string) => {
			const doc = new Y.Doc();
			const awareness = new Awareness(doc);
			const socket: Socket = connect(url, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie } });
			socket.on('statement:awareness', ({ update }: { update: ArrayBuffer }) => applyAwarenessUpdate(awareness, new Uint8Array(update), 'server'));
			const joined = (await socket.emitWithAck('statement:join', { statementId, stateVector: Y.encodeStateVector(doc) })) as { ok: boolean; awareness: ArrayBuffer };
			expect(joined.ok).toBe(true);
			applyAwarenessUpdate(awareness, new Uint8Array(joined.awareness), 'server');
			return { doc, awareness, socket, toldAtJoin: new Set(awareness.getStates().keys()) };
		};
		// Legal has the statement open on process 2 (so it is loaded there) when the CM, on
		// process 1, puts a cursor in it.
		const watching = await editor(p2.url, legal);
		const camille = await editor(p1.url, cm);
		camille.awareness.setLocalState({ cursor: null });
		camille.socket.emit('statement:awareness', { statementId, update: encodeAwarenessUpdate(camille.awareness, [camille.doc.clientID]) });
		await expect.poll(() => watching.awareness.getStates().has(camille.doc.clientID)).toBe(true);
		// Someone joining on process 2 now is told of it at once, not at the CM's next move.
		const late = await editor(p2.url, legal);
		expect(late.toldAtJoin.has(camille.doc.clientID)).toBe(true);
		// The CM leaves: process 2 forgets the cursor too.
		camille.socket.close();
		await expect.poll(() => watching.awareness.getStates().has(camille.doc.clientID)).toBe(false);
		const later = await editor(p2.url, legal);
		expect(later.toldAtJoin.has(camille.doc.clientID)).toBe(false);
		for (const { socket, awareness } of [watching, late, later, camille]) {
			socket.close();
			awareness.destroy();
		}
	});

	it('co-edits, races commands, survives a SIGKILL of one process, and agrees everywhere', { timeout: 120_000 }, async () => {
		const [p1, p2, p3] = servers as [RunningServer, RunningServer, RunningServer];
		const random = seeded(20);
		// Sessions live in PostgreSQL: logged in on one process, valid on all.
		const cm = await logInOverHttp(p1.url, 'cm@acme.test', DEMO_PASSWORD);
		const legal = await logInOverHttp(p2.url, 'legal@acme.test', DEMO_PASSWORD);
		const statementId = await newStatement(p3.url, cm);
		const [{ incidentId } = { incidentId: '' }] = await db.db.select({ incidentId: statements.incidentId }).from(statements).where(eq(statements.id, statementId));
		const incidentTasks = await db.db.select({ id: tasks.id }).from(tasks).where(eq(tasks.incidentId, incidentId)).orderBy(asc(tasks.position));
		expect(incidentTasks.length).toBeGreaterThanOrEqual(6);

		// Two editors and one war-room watcher on each process.
		const editors = servers.flatMap((server, i) => ['a', 'b'].map((name) => ({ client: new YjsClient(`${name}${i + 1}`, statementId, i % 2 ? legal : cm), home: server })));
		await Promise.all(editors.map(({ client, home }) => client.connect(home.url)));
		const watchers = await Promise.all(servers.map((server, i) => watcher(server.url, i % 2 ? legal : cm, incidentId)));

		// Before anything goes wrong: what is typed on one process reaches editors on the others live.
		const first = editors[4]!.client.type(random);
		await expect.poll(() => editors[0]!.client.text.toString()).toContain(first);
		const note = await watchers[2]!.command({ type: 'note.add', body: 'from process 3' });
		expect(note.ok).toBe(true);
		await expect.poll(() => watchers[0]!.heard.some((e) => e.type === 'note.added')).toBe(true);

		// The burst: everyone types; each task is moved to done by two people on two processes at once.
		const killAt = Date.now() + 400 + random() * 600;
		const outcomes: Promise<Ack>[] = [];
		let killed = false;
		for (let round = 0; Date.now() < killAt + 1_500 || round < incidentTasks.length; round++) {
			for (const { client } of editors) if (client.socket?.connected) client.type(random);
			const task = incidentTasks[round];
			if (task) {
				const [one, other] = [round % 3, (round + 1) % 3];
				for (const side of [one, other]) if (watchers[side]!.socket.connected) outcomes.push(watchers[side]!.command({ type: 'task.move', taskId: task.id, move: 'done' }).catch(() => ({ ok: false, code: 'LOST' })));
			}
			if (!killed && Date.now() >= killAt) {
				killed = true;
				p3.process.kill('SIGKILL');
			}
			await sleep(10 + random() * 20);
		}
		await p3.exited;

		// Process 3's people come back on process 1 (as a load balancer would send them) and type once more.
		for (const editor of editors.filter((e) => e.home === p3)) {
			editor.client.type(random);
			await editor.client.connect(p1.url);
		}
		for (const { client } of editors) client.type(random);

		// Every acknowledged edit is in every editor's document and in the database, and all agree.
		const acknowledged = editors.flatMap(({ client }) => [...client.acknowledged]);
		expect(acknowledged.length).toBeGreaterThan(30);
		await expect
			.poll(() => new Set(editors.map(({ client }) => client.text.toString())).size, { timeout: 15_000, message: 'the editors converge' })
			.toBe(1);
		const stored = await readDocument(p2.url, cm, statementId);
		expect(stored).toBe(editors[0]!.client.text.toString());
		for (const token of acknowledged) expect(stored).toContain(token);
		for (const { client } of editors) for (const token of client.typed) expect(stored).toContain(token);

		// One outcome per task: done once, whoever asked first; the other was told why, or was on the killed process.
		const timeline = await readTimeline(db.db, incidentId);
		for (const task of incidentTasks) {
			expect(timeline.filter((e) => e.type === 'task.done' && e.data.taskId === task.id)).toHaveLength(1);
		}
		expect((await Promise.all(outcomes)).filter((a) => a.ok).length).toBeGreaterThanOrEqual(incidentTasks.length - 1);
		expect(await verifyTimeline(db.db, incidentId)).toEqual({ intact: true, events: timeline.length });

		// The watchers on the surviving processes heard every event, in sequence, live or by catching up.
		for (const live of watchers.slice(0, 2)) {
			await expect.poll(async () => {
				const missing = timeline.map((e) => e.seq).filter((seq) => !live.seqs().includes(seq));
				if (missing.length) live.heard.push(...((await live.socket.emitWithAck('incident:join', { incidentId, afterSeq: Math.max(0, Math.min(...missing) - 1) })) as Ack).events!);
				return timeline.map((e) => e.seq).filter((seq) => !live.seqs().includes(seq));
			}).toEqual([]);
		}
		// Events caused on other processes reached process 1's watcher without asking: fan-out through Redis.
		expect(watchers[0]!.heard.filter((e) => e.type === 'task.done').length).toBeGreaterThan(0);

		// Redis drops the processes' subscriptions (a Redis restart, a network cut): they
		// reconnect, reload their documents from PostgreSQL, and live delivery resumes.
		const redis = createClient({ url: REDIS });
		await redis.connect();
		// Every connection but this one (the processes' own, and those the adapter reads on).
		expect(await redis.sendCommand(['CLIENT', 'KILL', 'TYPE', 'normal'])).toBeGreaterThanOrEqual(2);
		expect(await redis.sendCommand(['CLIENT', 'KILL', 'TYPE', 'pubsub'])).toBeGreaterThanOrEqual(2);
		await redis.close();
		await expect.poll(() => [p1, p2].every((p) => p.output().includes('reconnected to Redis')), { timeout: 10_000 }).toBe(true);
		const afterCut = editors[0]!.client.type(random);
		await expect.poll(() => editors[2]!.client.text.toString(), { timeout: 10_000 }).toContain(afterCut);

		// A release through process 1 reaches process 2's cached status page at once.
		const page = () => fetch(`${p2.url}/status/acme`).then((r) => r.text());
		const before = await page();
		const exec = await logInOverHttp(p1.url, 'exec@acme.test', DEMO_PASSWORD);
		const released = new PublicRelease(p1.url, { cm, legal, exec, admin: cm });
		await released.start('Cluster release');
		await released.approveAndRelease();
		expect(before).not.toContain(released.statementId);
		await expect.poll(page, { timeout: 5_000 }).toContain(`statement-${released.statementId}`);

		for (const { client } of editors) client.close();
		for (const w of watchers) w.socket.close();
	});
});
