// `npm run bench:status`: the public status page and feed under a spike, against a plain
// node:http server sending the very same bytes and headers, side by side; then the co-editing
// benchmark (realtime.ts, unchanged, as a child process) with and without 2,000 status requests
// per second on the same Holdline.
//
//   --seconds 10 --connections 50 --rate 2000 --realtime-seconds 20 --coediting-postgres --profile
//   --no-side-by-side (part 2 only)  --no-realtime (part 1 only)  --runs none,holdline,static,peer
//
// The status load beside co-editing is steady (status-load.ts says why autocannon alone is bursty).
//
// Holdline runs the production build on PostgreSQL (a throwaway database on DATABASE_URL's
// server, else 127.0.0.1:5432), demo seed plus one released statement. Servers on core 0, the
// load generator (autocannon) on core 1. Goal (issue 20): ≥ 0.5× the static server's requests
// per second and p99 < 20 ms at 50 connections; the co-editing p99 under status load < 50 ms.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEMO_PASSWORD } from '../../src/lib/server/demo/seed.ts';
import { createPostgresDatabase } from '../helpers/database.ts';
import { PublicRelease, type People } from '../helpers/public-release.ts';
import { logInOverHttp } from '../helpers/server.ts';
import { flag, report } from './report.ts';
import { hasTaskset, launchServer, pinLoadGenerator } from './cores.ts';
import { autocannon, type AutocannonResult } from './status-autocannon.ts';

type StatusLoad = 'none' | 'holdline' | 'static' | 'peer';
const options = {
	seconds: Number(flag('seconds', '10')),
	connections: Number(flag('connections', '50')),
	rate: Number(flag('rate', '2000')),
	realtimeSeconds: Number(flag('realtime-seconds', '20')),
	realtime: !process.argv.includes('--no-realtime'),
	/** The co-editing runs on PostgreSQL too (default: as `npm run bench:realtime` runs, on the embedded database). */
	coeditingPostgres: process.argv.includes('--coediting-postgres'),
	/** Passed on to realtime.ts: CPU profiles of its Holdline processes in bench-results/profiles. */
	profile: process.argv.includes('--profile'),
	sideBySide: !process.argv.includes('--no-side-by-side'),
	/** Which co-editing runs of part 2, in this order (see coEditing). */
	runs: flag('runs', 'none,holdline,static,peer').split(',') as StatusLoad[]
};
const ROOT = path.resolve(import.meta.dirname, '../..');
// Ports of this benchmark's own servers (the co-editing benchmark picks its own).
const HOLDLINE_PORT = 4610;
const STATIC_PORT = 4611;
// The load generator on core 1, the servers on core 0 (as realtime.ts does).
pinLoadGenerator();

if (!existsSync(path.join(ROOT, 'build/handler.js'))) {
	console.error('No production build: run `flock /tmp/holdline-build.lock npm run build` first.');
	process.exit(1);
}

async function stop(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null) return;
	const exited = new Promise((r) => child.once('exit', r));
	child.kill('SIGTERM');
	await exited;
}

/** The bytes and headers an address answers with, as they arrive (undecoded). */
function capture(url: string, headers: Record<string, string>): Promise<{ headers: Record<string, string>; body: Buffer }> {
	return new Promise((resolve, reject) => {
		request(url, { headers }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () => {
				const kept = Object.fromEntries(
					Object.entries(res.headers).filter(([name]) => !['date', 'connection', 'keep-alive', 'content-length', 'content-encoding'].includes(name))
				) as Record<string, string>;
				resolve({ headers: kept, body: Buffer.concat(chunks) });
			});
		})
			.on('error', reject)
			.end();
	});
}

/** Logs Acme's people in and takes one statement to the public page. */
async function releaseOne(url: string): Promise<void> {
	const people: People = { cm: '', legal: '', exec: '', admin: '' };
	for (const who of ['cm', 'legal', 'exec'] as const) people[who] = await logInOverHttp(url, `${who}@acme.test`, DEMO_PASSWORD);
	const statement = new PublicRelease(url, people);
	await statement.start('Delivery delays');
	await statement.approveAndRelease();
}

interface Row {
	document: string;
	variant: string;
	target: string;
	rps: number;
	p50: number;
	p99: number;
	bytes: number;
	errors: number;
	codes: string;
}

async function load(url: string, headers: Record<string, string>, seconds: number): Promise<Omit<Row, 'document' | 'variant' | 'target'>> {
	const result = await autocannon({ url, connections: options.connections, duration: seconds, headers });
	return {
		rps: result.requests.average,
		p50: result.latency.p50,
		p99: result.latency.p99,
		bytes: result.throughput.total / Math.max(1, result.requests.total),
		errors: result.errors + result.timeouts,
		codes: Object.entries(result.statusCodeStats)
			.map(([code, { count }]) => `${code}×${count}`)
			.join(' ')
	};
}

// ---------------------------------------------------------------- part 1: side by side
/**
 * What Holdline answers for the page and feed (plain and gzip, with their headers), written for
 * the static server to send the very same bytes; and their ETags.
 */
async function captureAnswers(url: string): Promise<{ answers: string; etags: Record<string, string> }> {
	const captured: Record<string, { headers: Record<string, string>; plain: string; gzip: string }> = {};
	const etags: Record<string, string> = {};
	for (const [name, p] of Object.entries(documents)) {
		const plain = await capture(url + p, {});
		const gzip = await capture(url + p, { 'accept-encoding': 'gzip' });
		if (!plain.headers.etag) throw new Error(`${p} has no ETag: is the status cache in this build?`);
		etags[name] = plain.headers.etag;
		captured[p] = { headers: plain.headers, plain: plain.body.toString('base64'), gzip: gzip.body.toString('base64') };
		console.log(`${p}: ${plain.body.length} bytes, ${gzip.body.length} gzip`);
	}
	const answers = path.join(scratch, 'answers.json');
	writeFileSync(answers, JSON.stringify(captured));
	return { answers, etags };
}

const baseUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const holdlineUrl = `http://127.0.0.1:${HOLDLINE_PORT}`;
const staticUrl = `http://127.0.0.1:${STATIC_PORT}`;
const documents = { page: '/status/acme', feed: '/status/acme/feed.xml' };
const scratch = mkdtempSync(path.join(tmpdir(), 'holdline-bench-status-'));
const rows: Row[] = [];
const figures: Record<string, number> = {};
const units: Record<string, string> = {};
if (options.sideBySide) {
	const database = await createPostgresDatabase(baseUrl);
	let holdline: ChildProcess | undefined;
	let staticServer: ChildProcess | undefined;
	try {
		holdline = await launchServer(
			[process.execPath, '--import', 'tsx', 'server/index.ts'],
			{ PORT: String(HOLDLINE_PORT), HOST: '127.0.0.1', NODE_ENV: 'production', HOLDLINE_SEED_DEMO: '1', DATABASE_URL: database.url, ORIGIN: holdlineUrl },
			/Holdline is listening/
		);
		await releaseOne(holdlineUrl);
		const { answers, etags } = await captureAnswers(holdlineUrl);
		staticServer = await launchServer([process.execPath, '--import', 'tsx', 'tests/bench/status-static.ts', answers, String(STATIC_PORT)], {}, /listening/);

		const variants: [string, (document: string) => Record<string, string>][] = [
			['plain', () => ({})],
			['gzip', () => ({ 'accept-encoding': 'gzip' })],
			['304', (document) => ({ 'if-none-match': etags[document]! })]
		];
		// Each server warmed up (JIT, connections) before it is measured.
		for (const url of [holdlineUrl, staticUrl]) await load(url + documents.page, {}, 2);
		for (const [document, p] of Object.entries(documents)) {
			for (const [variant, headers] of variants) {
				const pair: Row[] = [];
				for (const [target, url] of [['holdline', holdlineUrl], ['static', staticUrl]] as const) {
					const row = { document, variant, target, ...(await load(url + p, headers(document), options.seconds)) };
					pair.push(row);
					rows.push(row);
				}
				const [h, s] = pair as [Row, Row];
				const key = `${document}_${variant}`;
				Object.assign(figures, { [`${key}_rps`]: h.rps, [`${key}_p50_ms`]: h.p50, [`${key}_p99_ms`]: h.p99, [`${key}_static_rps`]: s.rps, [`${key}_ratio`]: h.rps / s.rps });
				Object.assign(units, { [`${key}_rps`]: 'req/s', [`${key}_p50_ms`]: 'ms', [`${key}_p99_ms`]: 'ms', [`${key}_static_rps`]: 'req/s', [`${key}_ratio`]: '× static' });
			}
		}
	} finally {
		if (staticServer) await stop(staticServer);
		if (holdline) await stop(holdline);
		await database.drop();
	}

	console.log(`\nStatus page and feed, ${options.connections} connections, ${options.seconds} s each (servers on core 0, autocannon on core 1)`);
	console.log(['document', 'request', 'server', 'req/s', 'p50 ms', 'p99 ms', 'bytes/req', '× static', 'answers'].map((h) => h.padEnd(10)).join(' '));
	for (const row of rows) {
		const staticRow = rows.find((r) => r.document === row.document && r.variant === row.variant && r.target === 'static')!;
		console.log(
			[
				row.document,
				row.variant,
				row.target,
				row.rps.toFixed(0),
				row.p50.toFixed(1),
				row.p99.toFixed(1),
				row.bytes.toFixed(0),
				(row.rps / staticRow.rps).toFixed(2),
				row.codes + (row.errors ? ` errors ${row.errors}` : '')
			]
				.map((c) => c.padEnd(10))
				.join(' ')
		);
	}
}

// ---------------------------------------------------------------- part 2: co-editing under status load
/**
 * Figures of one co-editing run (realtime.ts in a child process): alone, beside the status load
 * on its Holdline, beside the same load on the static server on the same core (the reference:
 * what serving that many requests next to it costs on this machine anyway), or beside the load
 * on a second Holdline process of the same cluster (PostgreSQL and Redis), on the same core:
 * the deployment where the balancer sends `/status/*` to processes of their own.
 */
async function coEditing(statusLoad: StatusLoad): Promise<{ p99: number; p50: number; lost: number; status?: AutocannonResult }> {
	const withStatusLoad = statusLoad !== 'none';
	const clustered = statusLoad === 'peer';
	const coDatabase = options.coeditingPostgres || clustered ? await createPostgresDatabase(baseUrl) : undefined;
	const cluster: Record<string, string> = clustered ? { DATABASE_URL: coDatabase!.url, REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' } : {};
	const out = path.join(scratch, `realtime-${statusLoad}.json`);
	const child = spawn(process.execPath, ['--import', 'tsx', 'tests/bench/realtime.ts', '--target', 'holdline', '--seconds', String(options.realtimeSeconds), '--out', out, ...(options.profile ? ['--profile'] : [])], {
		cwd: ROOT,
		env: { ...process.env, DATABASE_URL: coDatabase?.url ?? '', ...cluster },
		stdio: ['ignore', 'pipe', 'inherit']
	});
	// Its Holdline's address, as it says it (then the status load can begin).
	const underTest = new Promise<string>((resolve) => {
		let printed = '';
		child.stdout!.on('data', (c) => {
			printed += c;
			const url = /Holdline under test: (\S+)/.exec(printed)?.[1];
			if (url) resolve(url);
		});
	});
	child.stdout!.on('data', (c) => process.stdout.write(`  │ ${String(c).trimEnd().replaceAll('\n', '\n  │ ')}\n`));
	const exited = new Promise<number | null>((r) => child.once('exit', r));
	let status: AutocannonResult | undefined;
	let reference: ChildProcess | undefined;
	try {
		if (withStatusLoad) {
			let url = await Promise.race([underTest, exited.then(() => Promise.reject(new Error('the co-editing benchmark ended before its Holdline started')))]);
			await releaseOne(url);
			if (statusLoad === 'static') {
				const { answers } = await captureAnswers(url);
				reference = await launchServer([process.execPath, '--import', 'tsx', 'tests/bench/status-static.ts', answers, String(STATIC_PORT + 2)], {}, /listening/);
				url = `http://127.0.0.1:${STATIC_PORT + 2}`;
			} else if (clustered) {
				const port = STATIC_PORT + 3;
				reference = await launchServer([process.execPath, '--import', 'tsx', 'server/index.ts'], { ...cluster, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production' }, /Holdline is listening/);
				url = `http://127.0.0.1:${port}`;
			}
			// Until the co-editing run ends: the status load covers its connecting, warm-up and window.
			// Niced: on core 1 with the co-editing clients, it takes what CPU they leave, and does not
			// put its own delays into their latencies (it still holds its rate: see status_load_rps).
			const argv = [process.execPath, '--import', 'tsx', 'tests/bench/status-load.ts', `${url}/status/acme`, String(options.rate), String(options.connections)];
			const loader = spawn(hasTaskset ? 'nice' : argv[0]!, hasTaskset ? ['-n', '10', 'taskset', '-c', '1', ...argv] : argv.slice(1), { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
			let printed = '';
			loader.stdout!.on('data', (c) => (printed += c));
			const loaderExited = new Promise((r) => loader.once('exit', r));
			await exited;
			loader.kill('SIGTERM');
			await loaderExited;
			status = JSON.parse(/STATUS_LOAD (.*)/.exec(printed)?.[1] ?? 'null') as AutocannonResult;
			if (!status) throw new Error(`the status load printed no result:\n${printed}`);
		}
		if ((await exited) !== 0) throw new Error('the co-editing benchmark failed');
	} finally {
		if (reference) await stop(reference);
		await coDatabase?.drop();
	}
	const result = JSON.parse(readFileSync(out, 'utf8')) as { figures: Record<string, number> };
	return { p99: result.figures.holdline_p99_ms!, p50: result.figures.holdline_p50_ms!, lost: result.figures.holdline_lost!, status };
}

if (options.realtime) {
	console.log(`\nCo-editing (realtime.ts, ${options.realtimeSeconds} s measured): ${options.runs.join(', ')}`);
	/** How each run is named in the figures and said in the summary. */
	const described: Record<StatusLoad, [string, string]> = {
		none: ['coediting', 'alone'],
		holdline: ['coediting_loaded', 'beside {rate} status req/s on the same Holdline (their p99 {statusP99} ms)'],
		static: ['coediting_static_loaded', 'beside {rate} req/s on the static server on the same core'],
		peer: ['coediting_peer_loaded', 'beside {rate} req/s on another Holdline process of its cluster (on PostgreSQL and Redis)']
	};
	const said: string[] = [];
	for (const run of options.runs) {
		const result = await coEditing(run);
		const [key, words] = described[run];
		Object.assign(figures, { [`${key}_p50_ms`]: result.p50, [`${key}_p99_ms`]: result.p99, [`${key}_lost`]: result.lost });
		Object.assign(units, { [`${key}_p50_ms`]: 'ms', [`${key}_p99_ms`]: 'ms' });
		if (result.status) {
			Object.assign(figures, { [`${key}_status_rps`]: result.status.requests.average, [`${key}_status_p99_ms`]: result.status.latency.p99 });
			Object.assign(units, { [`${key}_status_rps`]: 'req/s', [`${key}_status_p99_ms`]: 'ms' });
		}
		const filled = words.replace('{rate}', result.status?.requests.average.toFixed(0) ?? '').replace('{statusP99}', result.status?.latency.p99.toFixed(1) ?? '');
		said.push(`${result.p99.toFixed(1)} ms ${filled}`);
	}
	console.log(`  co-editing p99 ${said.join('; ')}`);
}

report('status', figures, units);
