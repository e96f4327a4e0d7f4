// The yardstick of `npm run bench:status`: a plain node:http server sending the very bytes and
// headers Holdline sent for the status page and feed (gzip when asked, 304 to the ETag), with
// nothing else to do. Started by status.ts with the captured answers in a JSON file.
//   node --import tsx tests/bench/status-static.ts <answers.json> <port>
import http from 'node:http';
import { readFileSync } from 'node:fs';

interface Captured {
	headers: Record<string, string>;
	/** base64 */
	plain: string;
	gzip: string;
}
const [file, port] = process.argv.slice(2);
const captured = JSON.parse(readFileSync(file!, 'utf8')) as Record<string, Captured>;
const answers = new Map(
	Object.entries(captured).map(([path, c]) => [path, { headers: c.headers, plain: Buffer.from(c.plain, 'base64'), gzip: Buffer.from(c.gzip, 'base64') }])
);

http
	.createServer((req, res) => {
		const answer = answers.get(req.url ?? '');
		if (!answer) {
			res.writeHead(404).end();
			return;
		}
		if (req.headers['if-none-match'] === answer.headers.etag) {
			res.writeHead(304, answer.headers).end();
			return;
		}
		const gzip = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
		const body = gzip ? answer.gzip : answer.plain;
		res.writeHead(200, { ...answer.headers, ...(gzip ? { 'content-encoding': 'gzip' } : {}), 'content-length': String(body.length) });
		res.end(body);
	})
	.listen(Number(port), '127.0.0.1', () => console.log('static server listening'));
