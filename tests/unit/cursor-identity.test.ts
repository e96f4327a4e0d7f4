import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { CURSOR_COLOURS, cursorColour, cursorUser, safeCursorUser } from '../../src/lib/shared/cursor-identity.ts';
import { readAwarenessUpdate, writeAwarenessUpdate } from '../../src/lib/server/realtime/awareness.ts';

const HOSTILE = { name: 'Approved by Legal', color: 'red;position:fixed;inset:0', colorLight: 'url(https://evil.example/x)' };

describe('cursor identity', () => {
	it('gives each person one palette colour, the same every time', () => {
		expect(CURSOR_COLOURS).toContain(cursorColour('8b7d2c4e-0000-4000-8000-000000000001'));
		expect(cursorColour('a')).toBe(cursorColour('a'));
		expect(cursorUser('a', 'Camille')).toEqual({ name: 'Camille', color: cursorColour('a'), colorLight: `${cursorColour('a')}33` });
	});

	it('in the browser, keeps only palette colours and short plain names', () => {
		expect(safeCursorUser(HOSTILE)).toEqual({ name: 'Approved by Legal', color: '#6b7280', colorLight: '#6b728033' });
		expect(safeCursorUser({ name: 'x'.repeat(500), color: '#1f77b4' })).toEqual({ name: 'x'.repeat(80), color: '#1f77b4', colorLight: '#1f77b433' });
		for (const claimed of [null, 'red', 42, { name: { toString: 'x' }, color: ['#1f77b4'] }, [], { name: '   ' }]) {
			expect(safeCursorUser(claimed)).toEqual({ name: 'Someone', color: '#6b7280', colorLight: '#6b728033' });
		}
	});

	it('on the server, replaces what a client says about itself by the session, and keeps the cursor only', () => {
		const doc = new Y.Doc();
		const text = doc.getText('body');
		text.insert(0, 'Hello world');
		const awareness = new Awareness(doc);
		// As y-codemirror sets it: Y.RelativePosition objects (the end of the text has no item).
		const anchor = Y.createRelativePositionFromTypeIndex(text, 2);
		const head = Y.createRelativePositionFromTypeIndex(text, text.length);
		awareness.setLocalState({ user: HOSTILE, cursor: { anchor, head }, banner: '<img src=x onerror=alert(1)>' });
		const me = cursorUser('u1', 'Camille');
		const entries = readAwarenessUpdate(encodeAwarenessUpdate(awareness, [doc.clientID]), me);
		const cursor = JSON.parse(JSON.stringify({ anchor, head }));
		expect(entries).toEqual([{ clientId: doc.clientID, clock: 1, state: { user: me, cursor } }]);
		const relayed = readAwarenessUpdate(writeAwarenessUpdate(entries), me);
		expect(relayed).toEqual(entries);
		// What the receiving editor does with it (y-codemirror passes the parsed JSON as it is).
		const { anchor: a, head: h } = relayed[0]!.state!.cursor!;
		expect([a, h].map((position) => Y.createAbsolutePositionFromRelativePosition(position as unknown as Y.RelativePosition, doc)?.index)).toEqual([2, 11]);

		awareness.setLocalState({ user: HOSTILE, cursor: { anchor: { item: { client: 1.5, clock: -1 } }, head } });
		expect(readAwarenessUpdate(encodeAwarenessUpdate(awareness, [doc.clientID]), me)[0]!.state).toEqual({ user: me, cursor: null });
		expect(() => readAwarenessUpdate(new Uint8Array([5, 1]), me)).toThrow();
		awareness.destroy();
	});
});
