// Where the benchmarks run on this 2-core machine: the servers they measure on core 0, the
// load generator (this process and what it starts itself) on core 1, so that neither steals
// the other's CPU. Without taskset, everything runs unpinned.
import { execSync, spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { garbageCollectorFlags } from '../../server/garbage-collector.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

export const hasTaskset = (() => {
	try {
		execSync('command -v taskset', { stdio: 'ignore' });
		return true;
	} catch {
		return false;
	}
})();

/**
 * Pins this process to the load generator's core. `-a`: every thread it has already started
 * (V8's and libuv's); later ones, like a worker, inherit it.
 */
export function pinLoadGenerator(): void {
	if (hasTaskset) execSync(`taskset -a -p -c 1 ${process.pid}`, { stdio: 'ignore' });
}

/**
 * Starts a server on core 0, from the repository root; resolves once its output matches `ready`.
 * A Node server gets the garbage collector flags a production launcher gives a process with
 * that one core (server/garbage-collector.ts), Holdline and the references alike;
 * BENCH_DEFAULT_GC=1 leaves V8's defaults, to compare.
 */
export function launchServer(command: string[], env: Record<string, string>, ready: RegExp): Promise<ChildProcess> {
	const [program, ...rest] = command as [string, ...string[]];
	const flags = program === process.execPath && !process.env.BENCH_DEFAULT_GC ? garbageCollectorFlags(hasTaskset ? 1 : availableParallelism(), 1) : [];
	const node = [program, ...flags, ...rest];
	const argv = hasTaskset ? ['taskset', '-c', '0', ...node] : node;
	const child = spawn(argv[0]!, argv.slice(1), { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	return new Promise((resolve, reject) => {
		child.stdout!.on('data', (c) => {
			output += c;
			if (ready.test(output)) resolve(child);
		});
		child.stderr!.on('data', (c) => (output += c));
		child.once('exit', (code) => reject(new Error(`${command.join(' ')} exited with ${code}:\n${output}`)));
	});
}
