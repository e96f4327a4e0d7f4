// On one core, V8's garbage collector threads take turns with the event loop instead of running
// beside it (server/garbage-collector.ts): `npm start` runs Holdline again with
// --single-threaded-gc, and the process it started stands in for it, signals included.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startServer, temporaryDataDir } from '../helpers/server.ts';

/** The command lines of a process's children. */
function childCommands(pid: number): string[][] {
	const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
	return children.map((child) => readFileSync(`/proc/${child}/cmdline`, 'utf8').split('\0'));
}

describe('npm start on one core', () => {
	it('relaunches Holdline with the single-threaded garbage collector, which serves, and stops on SIGTERM', { timeout: 60_000 }, async () => {
		const server = await startServer({ HOLDLINE_DATA_DIR: temporaryDataDir() }, { entry: 'server/start.ts', cpus: '0' });
		try {
			const relaunched = childCommands(server.process.pid!).find((command) => command.some((arg) => arg.endsWith('server/start.ts')));
			expect(relaunched).toBeDefined();
			expect(relaunched).toContain('--single-threaded-gc');
			expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
		} finally {
			server.process.kill('SIGTERM');
		}
		expect(await server.exited).toBe(0);
		expect(server.output()).toContain('SIGTERM received: closing connections and the database.');
	});
});
