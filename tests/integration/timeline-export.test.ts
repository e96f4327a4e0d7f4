// The Markdown export of a timeline cannot be forged from inside: whatever the free text of
// titles, names, reasons, comments and notes, the file has one event line per event, one
// "Timeline:" header, and nothing that renders as an event, a heading, bold or HTML of its own.
import { eq, sql } from 'drizzle-orm';
import { marked, type Token, type Tokens } from 'marked';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/lib/server/db/index.ts';
import { incidents } from '../../src/lib/server/db/schema/index.ts';
import { exportTimeline, markdownInline, timelineMarkdown } from '../../src/lib/server/incidents/export.ts';
import { appendEvent } from '../../src/lib/server/incidents/timeline.ts';
import type { EventData, EventType, TaskView } from '../../src/lib/shared/incident-state.ts';
import { testDatabases } from '../helpers/database.ts';
import { declare, team, type Team } from '../helpers/incidents.ts';

/** Each tries to end its line and start a fake one, or to fake emphasis, links or HTML. */
const HOSTILE = [
	'ok\n- **2030-01-01 00:00:00** — Lou approved version 9 of “x” as Legal — fully approved',
	'ok\r\n- Timeline: intact, 999 events verified',
	'ok\r- **2030-01-01 00:00:00** — CR alone',
	'ok\u2028- **2030-01-01 00:00:00** — line separator',
	'ok\u2029- **2030-01-01 00:00:00** — paragraph separator',
	'ok\u0085- **2030-01-01 00:00:00** — next line',
	'ok\v\f- **2030-01-01 00:00:00** — vertical tab and form feed',
	'ok\n\n# Incident closed by legal\n\n## Timeline (UTC)',
	'**Approved by Legal** __really__ `code` ~~struck~~ [link](javascript:alert(1)) ![img](x)',
	'<img src=x onerror=alert(1)> <b>bold</b> </li></ul><h1>forged</h1>',
	'a | table | row',
	'\u202e- **reversed',
	'back\\slash\\\n- **2030-01-01 00:00:00** — escaped newline'
];

const pick = (i: number) => HOSTILE[i % HOSTILE.length]!;

function task(text: string, id: string): TaskView {
	return {
		id,
		phase: 0,
		position: 0,
		text,
		role: 'cm',
		assigneeId: null,
		assigneeName: null,
		dueAt: new Date().toISOString(),
		state: 'todo',
		skipReason: null,
		changedByName: null,
		changedAt: null,
		adHoc: true,
		targetName: null
	};
}

/** One event of every type, every free-text field hostile, the actor's name too. */
function hostileEvents(n: number): { [T in EventType]: [T, EventData[T]] }[EventType][] {
	const id = '00000000-0000-4000-8000-000000000001';
	const t = (k: number) => pick(n + k);
	return [
		['incident.declared', { title: t(0), severity: 2, drill: false, playbook: t(1), tasks: 3 }],
		['task.added', { task: task(t(2), id) }],
		['task.assigned', { taskId: id, text: t(3), assigneeId: id, assigneeName: t(4) }],
		['task.started', { taskId: id, text: t(5) }],
		['task.done', { taskId: id, text: t(6) }],
		['task.reopened', { taskId: id, text: t(7) }],
		['task.skipped', { taskId: id, text: t(8), reason: t(9) }],
		['note.added', { body: HOSTILE.join('\n') }],
		['severity.changed', { from: 2, to: 1, reason: t(10) }],
		['status.changed', { from: 'active', to: 'monitoring', reason: t(11) }],
		['command.handed_over', { fromId: id, fromName: t(12), toId: id, toName: t(13) }],
		['member.joined', { userId: id, name: t(14) }],
		['target.added', { name: t(15), userId: null, tasks: [] }],
		['statement.created', { statementId: id, title: t(16), channel: 'x', createdByName: t(17) }],
		['statement.submitted', { statementId: id, title: t(18), version: 1, sha256: 'a'.repeat(64) }],
		['statement.superseded', { statementId: id, title: t(19), version: 1, by: 2, cancelledSteps: [t(20)] }],
		['statement.approved', { statementId: id, title: t(21), version: 2, step: 0, role: t(22), final: false }],
		['statement.rejected', { statementId: id, title: t(23), version: 2, step: 1, role: 'executive', comment: t(24) }],
		['statement.released', { statementId: id, title: t(25), version: 2, sha256: 'b'.repeat(64), channels: ['x'], breakGlassReason: t(26) }]
	];
}

function walk(tokens: Token[], visit: (token: Token, insideQuote: boolean) => void, insideQuote = false): void {
	for (const token of tokens) {
		visit(token, insideQuote);
		const children = [
			...(('tokens' in token && token.tokens) || []),
			...(token.type === 'list' ? (token as Tokens.List).items : [])
		] as Token[];
		walk(children, visit, insideQuote || token.type === 'blockquote');
	}
}

describe.each(testDatabases)('the Markdown timeline export on $name', ({ open }) => {
	let database: DatabaseHandle;
	let people: Team;
	beforeAll(async () => {
		database = await open();
		people = await team(database.db);
	});
	afterAll(() => database.close());

	it.each([0, 5])('has one line per event and one header, whatever the free text (rotation %i)', async (rotation) => {
		const incidentId = await declare(database.db, people.cm);
		// Titles as stored by any path, older data included.
		await database.db
			.update(incidents)
			.set({
				title: pick(rotation),
				playbook: sql`jsonb_set(${incidents.playbook}, '{playbook,title}', to_jsonb(${pick(rotation + 1)}::text))`
			})
			.where(eq(incidents.id, incidentId));
		await database.db.transaction(async (tx) => {
			for (const [i, [type, data]] of hostileEvents(rotation).entries()) {
				await appendEvent(tx, incidentId, type, { id: people.cm.userId, name: pick(rotation + i) }, data, new Date());
			}
		});

		const exported = await exportTimeline(database.db, people.cm, incidentId);
		const markdown = timelineMarkdown(exported);
		const lines = markdown.split('\n');
		const events = exported.events.length;
		expect(events).toBeGreaterThan(hostileEvents(0).length);

		// The file, line by line: every line is one of ours, or a quoted note line.
		expect(lines.filter((l) => l.startsWith('- **'))).toHaveLength(events);
		for (const line of lines.filter((l) => l.startsWith('- **'))) {
			expect(line).toMatch(/^- \*\*\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\*\* — /);
		}
		expect(lines.filter((l) => l.startsWith('- Timeline:'))).toEqual([`- Timeline: intact, ${events} events verified`]);
		expect(lines.filter((l) => l.startsWith('#'))).toHaveLength(2);
		for (const line of lines) {
			expect(line, JSON.stringify(line)).toMatch(/^(|# .*|## Timeline \(UTC\)|- (Declared|First statement|Severity|Playbook|Timeline): .*|- \*\*.*| {2}>( .*)?)$/);
			expect(line, JSON.stringify(line)).not.toMatch(/[\r\v\f\u0085\u2028\u2029\u202e]/);
		}
		// The note is there, quoted line by line.
		expect(lines.filter((l) => l.startsWith('  >')).length).toBeGreaterThanOrEqual(HOSTILE.join('\n').split('\n').length);

		// The file as a Markdown renderer reads it: two lists (the five header facts, then one item per event),
		// no HTML anywhere, and no bold or link but each event's time (the note keeps its own Markdown, quoted).
		const tokens = marked.lexer(markdown);
		expect(tokens.filter((t) => t.type === 'heading').map((t) => (t as Tokens.Heading).depth)).toEqual([1, 2]);
		const lists = tokens.filter((t) => t.type === 'list') as Tokens.List[];
		expect(lists.map((l) => l.items.length)).toEqual([5, events]);
		const strong: string[] = [];
		walk(tokens, (token, insideQuote) => {
			expect(token.type, token.raw).not.toBe('html');
			if (!insideQuote) expect(['link', 'image', 'codespan', 'del', 'em'], token.raw).not.toContain(token.type);
			if (token.type === 'strong' && !insideQuote) strong.push((token as Tokens.Strong).text);
		});
		expect(strong).toHaveLength(events);
		for (const text of strong) expect(text).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
	});

	it('keeps the words of free text readable', () => {
		expect(markdownInline('Café **crème**\nstill one line')).toBe('Café \\*\\*crème\\*\\* still one line');
		expect(markdownInline('plain words, 2 numbers (and brackets): fine')).toBe('plain words, 2 numbers (and brackets): fine');
	});
});
