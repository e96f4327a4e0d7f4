// V8 collects garbage with helper threads beside the main thread (concurrent marking, parallel
// scavenges and compaction). Where a process has one core or less to itself, they do not run
// beside it: they take turns with it on that core, and while a major collection marks, each
// turn they take is a scheduler slice in which the event loop stands still. Measured
// (BENCHMARKS.md, "Status page"): on one core, co-editing beside 2,000 status requests/s in
// the same process had a p99 of 105-129 ms with the helper threads, and 21.6-27.9 ms with
// `--single-threaded-gc`, which does the same work on the main thread, in steps it schedules
// between tasks. With cores to spare, the helpers cost the event loop nothing: no flag.
// V8 takes these flags at startup only (v8.setFlagsFromString aborts the process in the next
// collection), hence the relaunch (withGarbageCollectorFlags).
import { spawn } from 'node:child_process';
import { availableParallelism, constants } from 'node:os';

/** The V8 flags for a process that shares `cores` cores with `processes` busy processes. */
export function garbageCollectorFlags(cores: number, processes: number): string[] {
	return cores <= processes ? ['--single-threaded-gc'] : [];
}

/** This machine's cores (its CPU set: taskset, a container's cpuset) shared by `processes`. */
export function garbageCollectorFlagsHere(processes: number): string[] {
	return garbageCollectorFlags(availableParallelism(), processes);
}

/**
 * Resolves at once when this process has the flags its cores call for. Otherwise it runs this
 * very command again with them and never resolves: this process stands in for the child
 * (SIGTERM and SIGUSR2 passed on; SIGINT from a terminal reaches the child itself, in the same
 * process group, so it is only ignored here) and exits as the child does.
 */
export function withGarbageCollectorFlags(processes = 1): Promise<void> {
	const missing = garbageCollectorFlagsHere(processes).filter((flag) => !process.execArgv.includes(flag));
	if (missing.length === 0) return Promise.resolve();
	const child = spawn(process.execPath, [...missing, ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' });
	for (const signal of ['SIGTERM', 'SIGUSR2'] as const) process.on(signal, () => child.kill(signal));
	process.on('SIGINT', () => {});
	child.once('exit', (code, signal) => process.exit(code ?? 128 + (signal ? constants.signals[signal] : 0)));
	return new Promise(() => {});
}
