// The reference: y-websocket@2.1.0's own server utilities on a plain HTTP + ws server,
// with the same event-loop and memory report as Holdline's server (SIGUSR2).
const http = require('node:http');
const { monitorEventLoopDelay } = require('node:perf_hooks');
const { WebSocketServer } = require('ws');
const { setupWSConnection } = require('y-websocket/bin/utils');

const port = Number(process.env.PORT || 1234);
const server = http.createServer((_req, res) => res.end('ok'));
const wss = new WebSocketServer({ server });
wss.on('connection', (conn, req) => setupWSConnection(conn, req, { gc: true }));
const histogram = monitorEventLoopDelay({ resolution: 5 });
histogram.enable();
process.on('SIGUSR2', () => {
	const ms = (ns) => Math.round(ns / 1e4) / 100;
	globalThis.gc?.();
	const { rss, heapUsed } = process.memoryUsage();
	const [rssKiB, heapKiB] = [rss, heapUsed].map((bytes) => Math.round(bytes / 1024));
	console.log(`EVENT_LOOP ${JSON.stringify({ p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max), rssKiB, heapKiB })}`);
	histogram.reset();
});
server.listen(port, '127.0.0.1', () => console.log(`y-websocket listening on ${port}`));
