// Rule 1 through a database outage: an editor types while PostgreSQL is unreachable, so
// that both the edit and the browser's first rejoin are refused; the page says so, keeps
// trying, and once the database is back every word reaches the other editor and the
// database. The server here is our own, on PostgreSQL behind a proxy the test controls.
import { expect, test, type Browser, type Page, type WebSocket } from '@playwright/test';
import postgres from 'postgres';
import * as Y from 'yjs';
import { createPostgresDatabase } from '../helpers/database';
import { startServer, type RunningServer } from '../helpers/server';
import { startPostgresProxy, type PostgresProxy } from '../helpers/tcp-proxy';
import { declare, FIRST_TEMPLATE_TEXT, logIn } from './helpers';
import { preview, saveState, startFirstStatement, typeAtEnd } from './statement-page';

// The outage is played by a proxy in front of PostgreSQL: the one of TEST_DATABASE_URL,
// else the local server every Holdline machine runs (.ci/run starts it when it is down).
const baseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
let proxy: PostgresProxy;
let server: RunningServer;

test.beforeAll(async () => {
	test.setTimeout(90_000);
	database = await createPostgresDatabase(baseUrl);
	proxy = await startPostgresProxy(database.url);
	server = await startServer({ DATABASE_URL: proxy.url, HOLDLINE_SEED_DEMO: '1' });
});

test.afterAll(async () => {
	server?.process.kill('SIGKILL');
	await server?.exited;
	await proxy?.close();
	await database?.drop();
});

async function personOnServer(browser: Browser, email: string): Promise<Page> {
	const context = await browser.newContext({ baseURL: server.url });
	const page = await context.newPage();
	await logIn(page, email);
	return page;
}

/**
 * Counts the refusals that the page's socket receives to `event`, read from the socket.io
 * frames themselves: an emit with an ack is `4<2|5>[N-]id["event",…]`, its answer
 * `4<3|6>[N-]id[…]`.
 */
function refusalsOf(page: Page, event: string): () => number {
	const ids = new Set<string>();
	let refused = 0;
	const sent = new RegExp(`^4[25](?:\\d+-)?(\\d+)\\["${event}"`);
	page.on('websocket', (ws: WebSocket) => {
		ws.on('framesent', ({ payload }) => {
			const emit = sent.exec(String(payload));
			if (emit) ids.add(emit[1]!);
		});
		ws.on('framereceived', ({ payload }) => {
			const answer = /^4[36](?:\d+-)?(\d+)\[/.exec(String(payload));
			if (answer && ids.has(answer[1]!) && String(payload).includes('"ok":false')) refused += 1;
		});
	});
	return () => refused;
}

/** The draft as the database holds it: every stored row, applied. */
async function storedText(statementId: string): Promise<string> {
	const sql = postgres(database.url, { max: 1, onnotice: () => {} });
	try {
		const rows = await sql<{ update: Uint8Array }[]>`select "update" from statement_updates where statement_id = ${statementId} order by id`;
		const doc = new Y.Doc();
		for (const row of rows) Y.applyUpdate(doc, new Uint8Array(row.update));
		return doc.getText('body').toString();
	} finally {
		await sql.end();
	}
}

test('edits typed while the database is down, past a refused rejoin, all reach the others and the database', async ({ browser }) => {
	test.setTimeout(120_000);
	const cm = await personOnServer(browser, 'cm@acme.test');
	const refusedJoins = refusalsOf(cm, 'statement:join');
	const refusedEdits = refusalsOf(cm, 'statement:update');
	await declare(cm);
	const statementId = await startFirstStatement(cm);
	const legal = await personOnServer(browser, 'legal@acme.test');
	await legal.goto(new URL(cm.url()).pathname);
	await expect(saveState(legal)).toHaveText('Saved', { timeout: 10_000 });

	const before = ' Before the outage.';
	await typeAtEnd(cm, before);
	await expect(saveState(cm)).toHaveText('Saved');
	await expect(preview(legal)).toHaveText(FIRST_TEMPLATE_TEXT + before);

	// The database goes away: every connection dropped, every new one refused.
	proxy.refuse();
	const during = ' Typed while the database was down.';
	await typeAtEnd(cm, during);
	await expect(saveState(cm)).toHaveText('Offline — will sync');
	await expect(cm.getByRole('alert')).toContainText('will be sent as soon as it can');
	// The rejoin that follows the refused edit is refused too: where the sync used to stop.
	await expect.poll(refusedJoins, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
	const held = ' Typed after the rejoin was refused.';
	await typeAtEnd(cm, held);
	await expect(saveState(cm)).toHaveText('Offline — will sync');
	// The database stays away until every refused edit was followed by a refused rejoin,
	// and more than one: whatever retries remain come after the outage.
	await expect
		.poll(() => refusedJoins() >= Math.max(2, refusedEdits()), { timeout: 60_000 })
		.toBe(true);
	expect(refusedEdits(), 'edits were refused during the outage').toBeGreaterThanOrEqual(1);

	// Closing the tab now would lose those words: the browser asks first.
	const dialogs: string[] = [];
	cm.on('dialog', (dialog) => {
		dialogs.push(dialog.type());
		void dialog.dismiss();
	});
	await cm.close({ runBeforeUnload: true });
	await expect.poll(() => dialogs).toEqual(['beforeunload']);
	expect(cm.isClosed()).toBe(false);

	// The database is back: the page catches up by itself, without a reload.
	proxy.resume();
	await expect(saveState(cm)).toHaveText('Saved', { timeout: 20_000 });
	await expect(cm.getByRole('alert')).toHaveCount(0);
	const after = ' Typed once it was back.';
	await typeAtEnd(cm, after);
	await expect(saveState(cm)).toHaveText('Saved');

	const expected = FIRST_TEMPLATE_TEXT + before + during + held + after;
	await expect(preview(cm)).toHaveText(expected);
	await expect(preview(legal)).toHaveText(expected);
	await expect.poll(() => storedText(statementId)).toBe(expected);

	// Everything is saved: the tab closes without asking.
	await cm.close({ runBeforeUnload: true });
	await expect.poll(() => cm.isClosed()).toBe(true);
	expect(dialogs).toEqual(['beforeunload']);
	await Promise.all([cm.context().close(), legal.context().close()]);
});
