// The crowd: the observers that receive every update and only count it, in a worker
// thread of the load generator. Reading hundreds of sockets keeps a core busy; on the
// main thread, that work queued in front of the editors' timers and the sampled
// observers' arrivals, and the generator's own delays were measured as the server's
// latency. Here the crowd has its own event loop; the threads share the generator's core,
// and the kernel favours the main thread (see the priority below).
//
// workerData: { endpoint, first, counts }. `counts` is shared memory the main thread
// reads at any time, without a message round trip: [0] is every update message the crowd
// received, [1 + k] what observer `first + k` received.
// Messages in: { connect: [from, to] } → { connected: true } or { failed: reason };
// { close: true } → { closed: true }.
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import * as Y from 'yjs';
import { transportFor, type Endpoint, type Transport } from './realtime-clients.ts';

// Linux sets a nice value per thread: this lowers only the crowd's, so that when both
// threads want the core, the kernel favours the measuring one (the crowd reads its sockets
// a little later). Elsewhere (macOS) it may lower the whole process, for both targets alike.
setPriority(10);

const { endpoint, first, counts } = workerData as { endpoint: Endpoint; first: number; counts: SharedArrayBuffer };
const received = new Int32Array(counts);
const transports: Transport[] = [];
const port = parentPort!;

port.on('message', async (message: { connect?: [number, number]; close?: true }) => {
	if (message.connect) {
		const [from, to] = message.connect;
		try {
			await Promise.all(
				Array.from({ length: to - from }, (_, k) => {
					const slot = 1 + from + k - first;
					const transport = transportFor(endpoint, 'observer', from + k, true);
					transports.push(transport);
					return transport.connect(new Y.Doc(), () => {
						Atomics.add(received, 0, 1);
						Atomics.add(received, slot, 1);
					});
				})
			);
			port.postMessage({ connected: true });
		} catch (error) {
			port.postMessage({ failed: error instanceof Error ? error.message : String(error) });
		}
	} else if (message.close) {
		for (const transport of transports) transport.close();
		port.postMessage({ closed: true });
	}
});
