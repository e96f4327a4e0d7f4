import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applyStored } from '../../src/lib/server/statements/statements.ts';

/** One writer's edits, each as the update it produced. */
function edits(doc: Y.Doc, steps: ((text: Y.Text) => void)[]): Uint8Array[] {
	const updates: Uint8Array[] = [];
	const record = (update: Uint8Array) => updates.push(update);
	doc.on('update', record);
	for (const step of steps) step(doc.getText('body'));
	doc.off('update', record);
	return updates;
}

describe('applyStored (loading and compacting a draft)', () => {
	it('gives the same text as applying the updates one by one, and its encoding replaces them all', () => {
		const a = new Y.Doc();
		const b = new Y.Doc();
		const updates = [
			...edits(a, [(t) => t.insert(0, 'Hello'), (t) => t.insert(5, ' world')]),
			...edits(b, [(t) => t.insert(0, '[draft] ')]),
			...edits(a, [(t) => t.delete(0, 1), (t) => t.insert(0, 'h')])
		];
		const expected = new Y.Doc();
		for (const update of updates) Y.applyUpdate(expected, update);

		const compacted = Y.encodeStateAsUpdate(applyStored(new Y.Doc(), updates.map((update) => ({ update }))));
		const reloaded = applyStored(new Y.Doc(), [{ update: compacted }]);
		expect(reloaded.getText('body').toString()).toBe(expected.getText('body').toString());
		expect(Y.encodeStateVector(reloaded)).toEqual(Y.encodeStateVector(expected));
	});

	it('keeps an update whose dependency is not stored yet, so that nothing is lost when it arrives', () => {
		const writer = new Y.Doc();
		const [first, second] = edits(writer, [(t) => t.insert(0, 'abc'), (t) => t.insert(3, 'd')]);
		const compacted = Y.encodeStateAsUpdate(applyStored(new Y.Doc(), [{ update: second! }]));
		const later = applyStored(new Y.Doc(), [{ update: compacted }, { update: first! }]);
		expect(later.getText('body').toString()).toBe('abcd');
	});
});
