// Co-editing cursors cannot paint over other people's screens (issue 13, item 8): an
// editor whose client claims another name and a "colour" full of CSS is shown to the
// others with the session's name and a palette colour, and nothing else reaches the page.
import { expect, test } from '@playwright/test';
import * as Y from 'yjs';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { connectSocket, declare, loggedInPage, open, sessionCookie, STATEMENT_URL } from './helpers';

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#e377c2', '#8c564b', '#17becf', '#bcbd22'];
const HOSTILE_COLOUR = 'red; position: fixed; inset: 0; z-index: 9999; content: "Approved by Legal"';

test('a hostile cursor colour and name paint nothing: the others see the session’s name in a palette colour', async ({ browser }) => {
	const cm = await loggedInPage(browser, 'cm@acme.test');
	const legal = await loggedInPage(browser, 'legal@acme.test');
	const incident = await declare(cm);
	await cm.getByRole('region', { name: 'Holding statements' }).getByRole('button', { name: 'Start statement' }).click();
	await expect(cm).toHaveURL(STATEMENT_URL);
	await expect(cm.getByTestId('save-state')).toHaveText('Saved', { timeout: 10_000 });
	const statementId = cm.url().split('/').pop()!;
	const editor = cm.getByRole('textbox', { name: 'Statement text' });
	await expect(editor).toHaveAttribute('contenteditable', 'true');

	const fixedElements = () =>
		cm.evaluate(() => Array.from(document.querySelectorAll('body *')).filter((element) => getComputedStyle(element).position === 'fixed').length);
	const fixedBefore = await fixedElements();

	// Lou's session, driven by a hand-made client instead of the editor.
	const { socket, connected } = await connectSocket({ cookie: await sessionCookie(legal.context()) });
	expect(connected).toBe(true);
	const doc = new Y.Doc();
	const joined = await socket.timeout(5_000).emitWithAck('statement:join', { statementId, stateVector: Y.encodeStateVector(doc) });
	expect(joined.ok).toBe(true);
	Y.applyUpdate(doc, new Uint8Array(joined.update));
	const text = doc.getText('body');
	// As y-codemirror sets them: Y.RelativePosition objects.
	const at = (index: number) => Y.createRelativePositionFromTypeIndex(text, index);
	const awareness = new Awareness(doc);
	awareness.setLocalState({
		user: { name: 'Approved by Legal', color: HOSTILE_COLOUR, colorLight: HOSTILE_COLOUR },
		cursor: { anchor: at(5), head: at(text.length) }
	});
	socket.emit('statement:awareness', { statementId, update: encodeAwarenessUpdate(awareness, [doc.clientID]) });

	// Camille sees Lou's caret and selection: Lou's name, one palette colour, nothing more.
	const caret = editor.locator('.cm-ySelectionCaret');
	await expect(caret).toHaveCount(1);
	await expect(editor.locator('.cm-ySelectionInfo')).toHaveText('Lou Legal');
	await expect(cm.getByText('Approved by Legal')).toHaveCount(0);
	const style = (await caret.getAttribute('style')) ?? '';
	const colour = /^background-color: (#[0-9a-f]{6}); border-color: \1$/.exec(style)?.[1];
	expect(PALETTE, `the caret's style is ${style}`).toContain(colour);
	// The selection: that colour at 20 % (hex alpha 33), and no other property.
	const [r, g, b] = [1, 3, 5].map((i) => parseInt(colour!.slice(i, i + 2), 16));
	const marks = await editor.locator('.cm-ySelection').all();
	expect(marks.length).toBeGreaterThan(0);
	for (const mark of marks) {
		expect(await mark.evaluate((element: HTMLElement) => [element.style.length, element.style.backgroundColor])).toEqual([1, `rgba(${r}, ${g}, ${b}, 0.2)`]);
	}
	// Nothing was laid over the page.
	expect(await fixedElements()).toBe(fixedBefore);

	awareness.destroy();
	socket.close();
	await open(cm, `/incidents/${incident.id}`);
	await cm.context().close();
	await legal.context().close();
});
