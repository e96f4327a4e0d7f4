// A crisis closed while someone has its statement open: their next edit is refused as
// INCIDENT_CLOSED, and the page stops sending and turns read-only, with a clear message,
// instead of retrying an edit that can never be stored.
import { expect, test } from '@playwright/test';
import { BASE_URL, connectSocket, declare, FIRST_TEMPLATE_TEXT, loggedInPage, sessionCookie } from './helpers';
import { editor, preview, saveState, startFirstStatement, typeAtEnd } from './statement-page';

test('an editor whose crisis was closed stops sending, reads only and is told why', async ({ browser }) => {
	const cm = await loggedInPage(browser, 'cm@acme.test');
	// The page's one socket opens with the war room: watch it from the start.
	const refusals: string[] = [];
	cm.on('websocket', (ws) => ws.on('framereceived', ({ payload }) => {
		if (String(payload).includes('"code":"INCIDENT_CLOSED"')) refusals.push(String(payload));
	}));
	const incident = await declare(cm);
	await startFirstStatement(cm);

	// Camille closes the crisis from another tab while the draft is open here.
	const outcome = await connectSocket({ cookie: await sessionCookie(cm.context()), origin: BASE_URL, transports: ['websocket'] });
	expect(outcome.error).toBeUndefined();
	try {
		for (const status of ['resolved', 'closed']) {
			const answer = await outcome.socket
				.timeout(5_000)
				.emitWithAck('incident:command', { type: 'status.change', incidentId: incident.id, status, reason: 'Over: the statement is out' });
			expect(answer, `the crisis is ${status}`).toMatchObject({ ok: true });
		}
	} finally {
		outcome.socket.close();
	}

	await typeAtEnd(cm, '!');
	await expect(cm.getByRole('alert')).toHaveText('This crisis is closed: its statements can no longer be edited.');
	await expect(editor(cm)).toHaveAttribute('contenteditable', 'false');
	await expect(cm.getByText('Read only', { exact: true })).toBeVisible();
	// Nothing is waiting to be sent or retried any more.
	await expect(saveState(cm)).toHaveText('Saved');
	expect(refusals.length).toBeGreaterThanOrEqual(1);

	// Nothing to lose: the tab closes without asking; the stored draft is the one before the close.
	const dialogs: string[] = [];
	cm.on('dialog', (dialog) => void dialog.dismiss().then(() => dialogs.push(dialog.type())));
	const reader = await loggedInPage(browser, 'legal@acme.test');
	await reader.goto(cm.url());
	await expect(preview(reader)).toHaveText(FIRST_TEMPLATE_TEXT);
	await cm.close({ runBeforeUnload: true });
	await expect.poll(() => cm.isClosed()).toBe(true);
	expect(dialogs).toEqual([]);
	await Promise.all([cm.context().close(), reader.context().close()]);
});
