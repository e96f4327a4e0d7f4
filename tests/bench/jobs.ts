// `npm run bench:jobs [--seconds 30] [--repeat 1] [--rate 5]`: what the job scheduler costs
// while it waits, and how punctual it is, with 200 open incidents each holding 20 pending
// jobs (4,000 jobs due over the next hour), on PGlite and, when DATABASE_URL or
// TEST_DATABASE_URL is set, on PostgreSQL (in a fresh database on that server, dropped at the
// end).
//
// Windows of --seconds, in one process, each repeated --repeat times (CPU: medians):
//   with an empty jobs table, in rotating order:
//     nothing    the open database and nothing else: this process's floor;
//     reference  a bare setInterval loop sending, every second, the one trivial query an
//                idle runner sends (`select 1`): what polling itself costs on this driver;
//     empty      the runner;
//   then with the 4,000 pending jobs (a few fall due in each window):
//     pending    the runner;
//     inline     the runner, plus --rate transactions per second that each write, inline,
//                the row a job would write: that work without the scheduler (reference);
//     trickle    the runner, plus --rate transactions per second that each schedule a job
//                due now that writes that row: the same work through the scheduler (NOTIFY
//                at commit wakes the runner between its polls).
// CPU is this process's (process.cpuUsage, user + system; PGlite runs in process, so it is
// included), as ms of CPU per minute; on PostgreSQL its backends for this database are
// counted separately ("+ db", /proc/<pid>/stat, 10 ms ticks). Lateness is started_at −
// due_at of every job the runner started during the loaded windows: "ahead" for the 4,000
// (a timer at the next due time the runner saw), "due now" for the trickle.
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { openDatabase, type DatabaseHandle, type Executor } from '../../src/lib/server/db/index.ts';
import { signUp } from '../../src/lib/server/auth/accounts.ts';
import { findActor } from '../../src/lib/server/organizations/organizations.ts';
import { declareIncident } from '../../src/lib/server/incidents/declare-incident.ts';
import { loadBuiltInPlaybooks } from '../../src/lib/server/playbooks/library.ts';
import { defineJob } from '../../src/lib/server/jobs/registry.ts';
import { scheduleJob } from '../../src/lib/server/jobs/schedule.ts';
import { JobRunner } from '../../src/lib/server/jobs/runner.ts';
import { createPostgresDatabase } from '../helpers/database.ts';
import { flag, percentile, report } from './report.ts';

const SECONDS = Number(flag('seconds', '30'));
const REPEAT = Number(flag('repeat', '1'));
const RATE = Number(flag('rate', '5'));
const INCIDENTS = 200;
const JOBS_PER_INCIDENT = 20;
const HOUR = 3_600_000;
/** Before each window: the first looks and the listening connection are not idle cost. */
const SETTLE_MS = 2_000;

type Payload = { source: 'ahead' | 'now' };
/** A reminder's typical write: one row, in the job's transaction. */
const tick = defineJob<Payload>('bench.tick', async ({ tx, job }) => {
	await tx.execute(sql`insert into bench_effects (job_id) values (${job.id})`);
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function rows<Row>(database: DatabaseHandle, query: ReturnType<typeof sql>): Promise<Row[]> {
	const result = (await database.db.execute(query)) as unknown;
	return Array.isArray(result) ? (result as Row[]) : (result as { rows: Row[] }).rows;
}

/** CPU (utime + stime, ms) of each PostgreSQL backend serving this database. */
async function backendCpuMs(database: DatabaseHandle): Promise<Map<number, number>> {
	const backends = await rows<{ pid: number }>(database, sql`select pid from pg_stat_activity where datname = current_database()`);
	const cpu = new Map<number, number>();
	for (const { pid } of backends) {
		try {
			// Fields 14 and 15 of the file (after the command name), in ticks of 10 ms.
			const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
			cpu.set(pid, (Number(fields[11]) + Number(fields[12])) * 10);
		} catch {
			// A server on another machine: only this process's CPU is reported.
		}
	}
	return cpu;
}

interface Cpu {
	process: number;
	database: number | null;
}

/** Runs the window (a runner or not, plus whatever `during` starts) and measures its CPU per minute. */
async function window(database: DatabaseHandle, withRunner: boolean, during: () => () => void = () => () => {}): Promise<Cpu> {
	// The previous window's garbage is not this one's cost (`npm run bench:jobs` passes --expose-gc).
	globalThis.gc?.();
	const runner = withRunner ? new JobRunner(database) : undefined;
	await runner?.start();
	const stop = during();
	await sleep(SETTLE_MS);
	const databaseBefore = database.kind === 'postgres' ? await backendCpuMs(database) : null;
	const before = process.cpuUsage();
	await sleep(SECONDS * 1000);
	const used = process.cpuUsage(before);
	const databaseAfter = databaseBefore ? await backendCpuMs(database) : null;
	stop();
	await runner?.stop();
	const perMinute = (ms: number) => (ms / SECONDS) * 60;
	return {
		process: perMinute((used.user + used.system) / 1000),
		database: databaseAfter
			? perMinute([...databaseAfter].reduce((sum, [pid, ms]) => sum + ms - (databaseBefore!.get(pid) ?? 0), 0))
			: null
	};
}

/** Every second, the one trivial query an idle runner sends. */
const selectEverySecond = (database: DatabaseHandle) => () => {
	// A drizzle query runs only once awaited: `void db.execute(…)` would send nothing.
	const loop = setInterval(async () => void (await database.db.execute(sql`select 1`)), 1_000);
	return () => clearInterval(loop);
};

function median(values: number[]): number {
	return percentile([...values].sort((a, b) => a - b), 50);
}

interface Lateness {
	count: number;
	p50: number;
	p99: number;
	max: number;
}

async function lateness(database: DatabaseHandle, source: Payload['source'], since: Date): Promise<Lateness> {
	const started = await rows<{ late_ms: number }>(
		database,
		sql`select (extract(epoch from (started_at - due_at)) * 1000)::float8 as late_ms from jobs
			where kind = ${tick.name} and payload->>'source' = ${source} and due_at >= ${since.toISOString()}::timestamptz
			and started_at is not null`
	);
	const sorted = started.map((r) => r.late_ms).sort((a, b) => a - b);
	return { count: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN };
}

const IDLE = ['nothing', 'reference', 'empty'] as const;
const LOADED = ['pending', 'inline', 'trickle'] as const;
type WindowName = (typeof IDLE)[number] | (typeof LOADED)[number];

interface Figures {
	cpu: Record<WindowName, Cpu>;
	ahead: Lateness;
	now: Lateness;
	duplicates: number;
}

/** 200 open incidents, each with 20 pending jobs due at random over the next hour. */
async function load(database: DatabaseHandle): Promise<{ organizationId: string; incidents: string[] }> {
	const { userId, organizationId } = await signUp(
		database.db,
		{ displayName: 'Bench', email: `bench-${Date.now()}@example.test`, password: 'bench bench bench', language: 'en', organizationName: 'Bench' },
		'192.0.2.1'
	);
	const actor = (await findActor(database.db, userId, organizationId))!;
	const playbook = loadBuiltInPlaybooks('playbooks').find((e) => e.playbook.id === 'impulsive-post' && e.playbook.lang === 'en')!;
	const incidents: string[] = [];
	for (let i = 0; i < INCIDENTS; i += 1) {
		const declaration = { title: `Incident ${i}`, severity: 2, drill: true, variables: { topic: 'pricing', platform: 'X' } };
		incidents.push((await declareIncident(database.db, actor, playbook, declaration)).incidentId);
	}
	const now = new Date();
	await database.db.transaction(async (tx) => {
		for (const incidentId of incidents) {
			for (let j = 0; j < JOBS_PER_INCIDENT; j += 1) {
				const dueAt = new Date(now.getTime() + 10_000 + Math.random() * HOUR);
				await scheduleJob(tx, tick, { organizationId, incidentId, key: `${incidentId}:${j}`, dueAt, payload: { source: 'ahead' } }, now);
			}
		}
	});
	return { organizationId, incidents };
}

async function bench(database: DatabaseHandle): Promise<Figures> {
	await database.db.execute(sql`create table bench_effects (id bigserial primary key, job_id uuid not null)`);
	const samples = Object.fromEntries([...IDLE, ...LOADED].map((name) => [name, [] as Cpu[]])) as Record<WindowName, Cpu[]>;

	const idle: Record<(typeof IDLE)[number], () => Promise<Cpu>> = {
		nothing: () => window(database, false),
		reference: () => window(database, false, selectEverySecond(database)),
		empty: () => window(database, true)
	};
	// Warm-up, not measured: the JIT compiling the runner's and the driver's code, PGlite's
	// first queries after its migrations.
	await window(database, true, selectEverySecond(database));
	for (let round = 0; round < REPEAT; round += 1) {
		// Rotating the order spreads the machine's drift over all three.
		for (let i = 0; i < IDLE.length; i += 1) {
			const name = IDLE[(round + i) % IDLE.length]!;
			samples[name].push(await idle[name]());
		}
	}

	const { organizationId, incidents } = await load(database);
	const arriving = (work: (tx: Executor, incidentId: string) => Promise<unknown>) => () => {
		let n = 0;
		const producer = setInterval(() => {
			const incidentId = incidents[n++ % incidents.length]!;
			void database.db.transaction((tx) => work(tx, incidentId));
		}, 1000 / RATE);
		return () => clearInterval(producer);
	};
	const loaded: Record<(typeof LOADED)[number], () => Promise<Cpu>> = {
		pending: () => window(database, true),
		inline: () => window(database, true, arriving((tx) => tx.execute(sql`insert into bench_effects (job_id) values (gen_random_uuid())`))),
		trickle: () =>
			window(
				database,
				true,
				arriving((tx, incidentId) => scheduleJob(tx, tick, { organizationId, incidentId, dueAt: new Date(), payload: { source: 'now' } }, new Date()))
			)
	};
	const loadedSince = new Date();
	for (let round = 0; round < REPEAT; round += 1) {
		for (const name of LOADED) samples[name].push(await loaded[name]());
	}

	const [{ duplicates } = { duplicates: NaN }] = await rows<{ duplicates: number }>(
		database,
		sql`select count(*)::int as duplicates from (select job_id from bench_effects group by job_id having count(*) > 1) d`
	);
	const cpu = Object.fromEntries(
		Object.entries(samples).map(([name, list]) => [
			name,
			{ process: median(list.map((c) => c.process)), database: list[0]!.database === null ? null : median(list.map((c) => c.database!)) }
		])
	) as Record<WindowName, Cpu>;
	return { cpu, ahead: await lateness(database, 'ahead', loadedSince), now: await lateness(database, 'now', loadedSince), duplicates };
}

const targets: { name: 'pglite' | 'postgres'; open: () => Promise<{ handle: DatabaseHandle; close: () => Promise<void> }> }[] = [
	{
		name: 'pglite',
		open: async () => {
			const handle = await openDatabase({});
			return { handle, close: () => handle.close() };
		}
	}
];
const postgresUrl = process.env.DATABASE_URL || process.env.TEST_DATABASE_URL;
if (postgresUrl) {
	targets.push({
		name: 'postgres',
		open: async () => {
			const created = await createPostgresDatabase(postgresUrl);
			const handle = await openDatabase({ databaseUrl: created.url });
			return { handle, close: async () => (await handle.close(), await created.drop()) };
		}
	});
}

const results: Partial<Record<'pglite' | 'postgres', Figures>> = {};
for (const target of targets) {
	console.log(`${target.name}: ${1 + 6 * REPEAT} windows of ${SECONDS} s…`);
	const { handle, close } = await target.open();
	try {
		results[target.name] = await bench(handle);
	} finally {
		await close();
	}
}

const names = Object.keys(results) as ('pglite' | 'postgres')[];
const cell = (value: number | null | undefined, digits = 0) => (value == null || Number.isNaN(value) ? '—' : value.toFixed(digits));
const cpuCell = (c: Cpu) => `${cell(c.process)}${c.database === null ? '' : ` + db ${cell(c.database)}`}`;
const lateCell = (l: Lateness) => `${cell(l.p50, 1)} / ${cell(l.p99, 1)} / ${cell(l.max, 1)} (${l.count})`;
const lines: [string, (f: Figures) => string][] = [
	['nothing running (floor)', (f) => cpuCell(f.cpu.nothing)],
	['reference: select 1 every second', (f) => cpuCell(f.cpu.reference)],
	['runner, empty table', (f) => cpuCell(f.cpu.empty)],
	[`runner, ${INCIDENTS * JOBS_PER_INCIDENT} pending`, (f) => cpuCell(f.cpu.pending)],
	[`  + ${RATE}/s rows written inline (reference)`, (f) => cpuCell(f.cpu.inline)],
	[`  + ${RATE}/s jobs due now writing them`, (f) => cpuCell(f.cpu.trickle)],
	['lateness ahead, p50 / p99 / max ms (n)', (f) => lateCell(f.ahead)],
	['lateness due now, p50 / p99 / max ms (n)', (f) => lateCell(f.now)],
	['jobs whose row was written twice', (f) => String(f.duplicates)]
];
console.log(`\nJobs: CPU in ms per minute, medians of ${REPEAT} × ${SECONDS} s ("+ db": PostgreSQL's backends for this database)`);
console.log(`${''.padEnd(44)}${names.map((n) => n.padStart(28)).join('')}`);
for (const [label, value] of lines) console.log(`${label.padEnd(44)}${names.map((n) => value(results[n]!).padStart(28)).join('')}`);

const figures: Record<string, number> = {};
const units: Record<string, string> = {};
for (const name of names) {
	const f = results[name]!;
	for (const [key, c] of Object.entries(f.cpu)) {
		figures[`${name}_${key}_cpu_ms_per_min`] = c.process;
		units[`${name}_${key}_cpu_ms_per_min`] = 'ms CPU/min';
		if (c.database !== null) {
			figures[`${name}_${key}_db_cpu_ms_per_min`] = c.database;
			units[`${name}_${key}_db_cpu_ms_per_min`] = 'ms CPU/min (database)';
		}
	}
	for (const [key, l] of Object.entries({ ahead: f.ahead, now: f.now })) {
		figures[`${name}_${key}_late_p50_ms`] = l.p50;
		figures[`${name}_${key}_late_p99_ms`] = l.p99;
		units[`${name}_${key}_late_p50_ms`] = units[`${name}_${key}_late_p99_ms`] = 'ms';
	}
}
report('jobs', figures, units);
