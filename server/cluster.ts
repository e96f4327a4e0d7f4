// `npm run cluster`: Holdline as several processes on one port, the way it runs behind a
// load balancer, on this machine. Node's cluster module is the load balancer here: the
// primary process accepts connections and hands them to the workers in turn. Each worker is
// a whole Holdline process (server/index.ts) on the shared PostgreSQL (DATABASE_URL), and
// the workers reach each other through Redis (REDIS_URL, default the local one). No
// stickiness is needed: browsers speak to the realtime layer over WebSocket only, one
// connection that stays on its worker, and every HTTP request carries its session.
// A worker that dies is replaced; SIGINT or SIGTERM stops them all, gracefully. Workers get
// the garbage collector flags for their share of the cores (server/garbage-collector.ts).
import cluster from 'node:cluster';
import { garbageCollectorFlagsHere } from './garbage-collector.ts';

const DEFAULT_REDIS = 'redis://127.0.0.1:6379';

function processCount(): number {
	const value = process.env.HOLDLINE_PROCESSES ?? '3';
	const count = Number(value);
	if (!Number.isInteger(count) || count < 1 || count > 64) {
		console.error(`HOLDLINE_PROCESSES must be a whole number from 1 to 64, got "${value}".`);
		process.exit(1);
	}
	return count;
}

if (cluster.isPrimary) {
	if (!process.env.DATABASE_URL?.trim()) {
		console.error(
			'npm run cluster needs DATABASE_URL=postgres://… : several processes share one PostgreSQL. ' +
				'The embedded database (PGlite) serves one process only; use `npm run demo` or `npm start` for that.'
		);
		process.exit(1);
	}
	process.env.REDIS_URL ||= DEFAULT_REDIS;
	const count = processCount();
	let stopping = false;
	console.log(`Starting ${count} Holdline processes on port ${process.env.PORT ?? 3000} (Redis: ${process.env.REDIS_URL.replace(/\/\/[^@/]*@/, '//…@')}).`);
	// Each worker with the garbage collector flags for its share of the cores.
	cluster.setupPrimary({ execArgv: [...garbageCollectorFlagsHere(count), ...process.execArgv] });
	for (let i = 0; i < count; i++) cluster.fork();
	cluster.on('exit', (worker, code, signal) => {
		if (stopping) {
			if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
			return;
		}
		console.error(`Process ${worker.process.pid} ended (${signal ?? `exit code ${code}`}); starting another.`);
		cluster.fork();
	});
	const stop = (signal: NodeJS.Signals) => {
		if (stopping) return;
		stopping = true;
		console.log(`${signal} received: stopping the ${count} processes.`);
		for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
} else {
	const { run } = await import('./index.ts');
	await run();
}
