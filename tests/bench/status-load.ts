// The status load of `npm run bench:status`'s second part, in a process of its own so that it can
// run at a lower priority than the co-editing benchmark's clients on the same core (both are load
// generators: one must not delay what the other measures). Holds `rate` requests per second on
// the page until SIGTERM, then prints the result as JSON.
//   node --import tsx tests/bench/status-load.ts <url> <rate> <connections>
//
// Steady, not bursty: autocannon's overallRate gives each connection a budget per second that it
// spends at once when the second starts (httpClient.js), so one instance at 2,000 req/s sends 2,000
// requests in the first ~50 ms of each second and the server is saturated for that long — measured:
// co-editing p99 65 ms beside it, against 8 ms alone. Twenty-five instances of 2 connections,
// started 40 ms apart, send 80 requests every 40 ms: the same rate, spread over the second.
import { autocannon, type AutocannonInstance, type AutocannonResult } from './status-autocannon.ts';

const [url, rate, connections] = process.argv.slice(2).map((a, i) => (i === 0 ? a : Number(a))) as [string, number, number];
const INSTANCES = Math.min(25, connections);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const instances: AutocannonInstance[] = [];
let stopping = false;
process.once('SIGTERM', () => {
	stopping = true;
	for (const instance of instances) instance.stop();
});
for (let i = 0; i < INSTANCES && !stopping; i++) {
	const share = (total: number) => Math.floor(total / INSTANCES) + (i < total % INSTANCES ? 1 : 0);
	instances.push(autocannon({ url, connections: share(connections), duration: 3600, overallRate: share(rate), headers: { 'accept-encoding': 'br, gzip' } }));
	await sleep(1000 / INSTANCES);
}
const results: AutocannonResult[] = await Promise.all(instances);
// One figure for all: the rates add up; the p99 is the worst instance's (histograms do not merge here).
const combined: AutocannonResult = {
	requests: { average: results.reduce((s, r) => s + r.requests.average, 0), total: results.reduce((s, r) => s + r.requests.total, 0) },
	latency: { p50: Math.max(...results.map((r) => r.latency.p50)), p99: Math.max(...results.map((r) => r.latency.p99)), average: results.reduce((s, r) => s + r.latency.average, 0) / results.length },
	throughput: { total: results.reduce((s, r) => s + r.throughput.total, 0) },
	errors: results.reduce((s, r) => s + r.errors, 0),
	timeouts: results.reduce((s, r) => s + r.timeouts, 0),
	statusCodeStats: {}
};
for (const r of results) for (const [code, { count }] of Object.entries(r.statusCodeStats)) (combined.statusCodeStats[code] ??= { count: 0 }).count += count;
console.log(`STATUS_LOAD ${JSON.stringify(combined)}`);
