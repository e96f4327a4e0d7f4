// Pure logic of protected people: the check-in plan, redaction for readers without consent,
// CSV cells a spreadsheet must not run, saved pages recognised by content, and file names
// that are labels, never paths.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csv, csvCell } from '../../src/lib/server/protection/csv.ts';
import { redactEvent, redactTask, type PersonForReader } from '../../src/lib/server/protection/redact.ts';
import { sniffEvidence, sniffSavedPage } from '../../src/lib/server/protection/sniff.ts';
import type { TaskView, TimelineEventView } from '../../src/lib/shared/incident-state.ts';
import { DAY_MS, nextCheckInAfter } from '../../src/lib/shared/protection.ts';
import { fileLabel } from '../../src/lib/shared/protection-validation.ts';

const task: TaskView = {
	id: 't1',
	phase: 0,
	position: 0,
	text: 'Set your accounts to private',
	role: 'target',
	assigneeId: 'u-sam',
	assigneeName: 'Sam Staff',
	dueAt: '2030-01-01T10:00:00.000Z',
	state: 'done',
	skipReason: null,
	changedByName: 'Sam Staff',
	changedAt: '2030-01-01T10:05:00.000Z',
	adHoc: false,
	targetName: 'Sam'
};
const sam = (visible: boolean): PersonForReader => ({ id: 'p1', number: 1, name: 'Sam', userId: 'u-sam', accountName: 'Sam Staff', taskIds: new Set(['t1']), visible });
const event = (type: string, data: unknown, actor = { id: 'u-coach', name: 'Cora' }) =>
	({ seq: 1, at: '2030-01-01T10:00:00.000Z', type, actorId: actor.id, actorName: actor.name, data, hash: 'h' }) as TimelineEventView;

describe('the check-in plan', () => {
	it('is every N minutes the first day, then every M, always strictly later', () => {
		fc.assert(
			fc.property(fc.integer({ min: 15, max: 1440 }), fc.integer({ min: 15, max: 10080 }), fc.integer({ min: -DAY_MS, max: 5 * DAY_MS }), (first, then, offset) => {
				const from = Date.parse('2030-01-01T08:00:00.000Z');
				const plan = { firstDayMinutes: first, thenMinutes: then, from: new Date(from) };
				const after = from + offset;
				const next = nextCheckInAfter(plan, after)!.getTime();
				expect(next).toBeGreaterThan(after);
				if (next <= from + DAY_MS) expect((next - from) % (first * 60_000) === 0 || next === from + DAY_MS).toBe(true);
				else expect((next - from - DAY_MS) % (then * 60_000)).toBe(0);
				// Never skips one: nothing planned lies between `after` and `next`.
				expect(nextCheckInAfter(plan, next - 1)!.getTime()).toBe(next);
			})
		);
	});
	it('refuses a plan that is not whole positive minutes', () => {
		expect(nextCheckInAfter({ firstDayMinutes: 0, thenMinutes: 60, from: new Date() }, Date.now())).toBeNull();
		expect(nextCheckInAfter({ firstDayMinutes: 1.5, thenMinutes: 60, from: new Date() }, Date.now())).toBeNull();
	});
});

describe('redaction', () => {
	it('names the person for readers they allow, and labels them, their account and their actions for the others', () => {
		expect(redactTask(task, [sam(true)])).toBe(task);
		expect(redactTask(task, [sam(false)])).toEqual({ ...task, targetName: 'Protected person 1', assigneeId: null, assigneeName: 'Protected person 1', changedByName: 'Protected person 1' });
		const added = event('target.added', { name: 'Sam', userId: 'u-sam', tasks: [task], personId: 'p1', number: 1 });
		expect(redactEvent(added, [sam(true)])).toBe(added);
		const hidden = redactEvent(added, [sam(false)]);
		expect(JSON.stringify(hidden)).not.toMatch(/Sam|u-sam/);
		expect(hidden.redacted).toBe(true);
		// Events written before people had records are found by name.
		expect(JSON.stringify(redactEvent(event('target.added', { name: 'Sam', userId: null, tasks: [task] }), [sam(false)]))).not.toContain('Sam');
		// Their own tick on their checklist does not give them away.
		const done = redactEvent(event('task.done', { taskId: 't1', text: task.text }, { id: 'u-sam', name: 'Sam Staff' }), [sam(false)]);
		expect(done.actorName).toBe('Protected person 1');
		const nudge = redactEvent(event('nudge.sent', { key: 'k', kind: 'task.remind', to: [{ userId: 'u-sam', name: 'Sam Staff' }], about: { taskId: 't1' }, late: false }, { id: '', name: '' }), [sam(false)]);
		expect(JSON.stringify(nudge)).not.toContain('Sam');
		// Their own events carry no name; a reader they allow gets it beside the data.
		const consent = event('protection.consent_changed', { personId: 'p1', number: 1, visibility: 'chosen', viewerIds: [], exportConsent: false, onBehalf: false }, { id: 'u-sam', name: 'Sam Staff' });
		expect(redactEvent(consent, [sam(true)]).person).toBe('Sam');
		expect(redactEvent(consent, [sam(false)])).toMatchObject({ actorName: 'Protected person 1', redacted: true });
		expect(redactEvent(consent, [sam(false)]).person).toBeUndefined();
		// Events about nobody protected pass as they are.
		const note = event('note.added', { body: 'Sam is fine' });
		expect(redactEvent(note, [sam(false)])).toBe(note);
	});
});

describe('CSV', () => {
	it('neutralises cells a spreadsheet would run as a formula, and quotes what needs it', () => {
		expect(csvCell('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
		for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(csvCell(`${start}1+1`).replace(/^"/, '')).toMatch(/^'/);
		expect(csvCell('@troll')).toBe("'@troll");
		expect(csvCell('plain')).toBe('plain');
		expect(csvCell('a, b')).toBe('"a, b"');
		expect(csvCell('two\nlines')).toBe('"two\nlines"');
		expect(csvCell(null)).toBe('');
		expect(csv([['a', 1], ['-2', null]])).toBe("a,1\r\n'-2,\r\n");
		fc.assert(
			fc.property(fc.string(), (s) => {
				const cell = csvCell(s);
				const inner = cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell;
				expect(/^[=+\-@\t\r]/.test(inner)).toBe(false);
			})
		);
	});
});

describe('evidence types by content', () => {
	const text = (s: string) => new TextEncoder().encode(s);
	it('recognises saved pages by their text, never by their name', async () => {
		expect(sniffSavedPage(text('<!DOCTYPE html><html>'))).toBe('text/html');
		expect(sniffSavedPage(text('\ufeff  <!-- saved from url=(0040)https://x.example -->\n<html lang="fr">'))).toBe('text/html');
		expect(sniffSavedPage(text('From: <Saved by Blink>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="x"\r\n\r\n'))).toBe('multipart/related');
		expect(sniffSavedPage(text('Subject: x\r\nContent-Type: multipart/related\r\n\r\n'))).toBeNull();
		expect(sniffSavedPage(text('<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'))).toBeNull();
		expect(sniffSavedPage(text('#!/bin/sh\nrm -rf /'))).toBeNull();
		expect(sniffSavedPage(new Uint8Array([0x3c, 0x68, 0x74, 0x6d, 0x6c, 0x3e, 0]))).toBeNull();
		expect(await sniffEvidence(new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x34, 0x0a]))).toBe('application/pdf');
		expect(await sniffEvidence(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0, 0, 0]))).toBeNull();
	});
});

describe('file names', () => {
	it('are labels: the last segment, without controls, never a path', () => {
		expect(fileLabel('../../etc/passwd')).toBe('passwd');
		expect(fileLabel('C:\\Users\\me\\shot.png')).toBe('shot.png');
		expect(fileLabel('evil\u202egnp.exe')).toBe('evilgnp.exe');
		expect(fileLabel('..')).toBe('..');
		expect(fileLabel('/')).toBe('file');
		fc.assert(
			fc.property(fc.string(), (s) => {
				const label = fileLabel(s);
				expect(label).not.toMatch(/[\\/]/);
				expect(label.length).toBeGreaterThan(0);
				expect(label.length).toBeLessThanOrEqual(200);
			})
		);
	});
});
