// Starts the real production server (built app + server/index.ts) as a child process, the
// way an operator would, so tests can signal it, kill it and restart it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface RunningServer {
	url: string;
	port: number;
	process: ChildProcess;
	output(): string;
	/** Resolves with the exit code. */
	exited: Promise<number | null>;
}

export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as { port: number };
			probe.close(() => resolve(port));
		});
	});
}

export function temporaryDataDir(): string {
	return mkdtempSync(path.join(tmpdir(), 'holdline-test-'));
}

export interface Launch {
	/** The entry point: `server/start.ts` is what `npm start` runs. */
	entry?: string;
	/** A CPU list for taskset (`0`: one core), as an operator's CPU set would be. */
	cpus?: string;
}

export async function startServer(env: Record<string, string>, { entry = 'server/index.ts', cpus }: Launch = {}): Promise<RunningServer> {
	const port = await freePort();
	const command = [process.execPath, '--import', 'tsx', entry];
	const argv = cpus === undefined ? command : ['taskset', '-c', cpus, ...command];
	const child = spawn(argv[0]!, argv.slice(1), {
		cwd: path.resolve(import.meta.dirname, '../..'),
		// ORIGIN: 'self' stands for this server's own address (links in emails point there).
		env: {
			...process.env,
			NODE_ENV: 'production',
			DATABASE_URL: '',
			...env,
			...(env.ORIGIN === 'self' ? { ORIGIN: `http://127.0.0.1:${port}` } : {}),
			PORT: String(port),
			HOST: '127.0.0.1'
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout!.on('data', (chunk) => (output += chunk));
	child.stderr!.on('data', (chunk) => (output += chunk));
	const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
	await new Promise<void>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
		const check = () => {
			if (output.includes('Holdline is listening')) {
				clearTimeout(timer);
				resolve();
			}
		};
		child.stdout!.on('data', check);
		void exited.then((code) => {
			clearTimeout(timer);
			reject(new Error(`server exited with ${code} before listening:\n${output}`));
		});
	});
	return { url: `http://127.0.0.1:${port}`, port, process: child, output: () => output, exited };
}

/** Logs in through the real form action, as a browser would; returns the Cookie header. */
export async function logInOverHttp(url: string, email: string, password: string): Promise<string> {
	const response = await fetch(`${url}/login`, {
		method: 'POST',
		redirect: 'manual',
		headers: { origin: url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ email, password })
	});
	const cookie = response.headers.getSetCookie().find((c) => c.startsWith('holdline_session='));
	if (response.status !== 303 || !cookie) throw new Error(`log-in failed with ${response.status}`);
	return cookie.split(';')[0]!;
}
