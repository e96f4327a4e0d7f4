import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatIssue, parseDuration, parsePlaybook } from '../../src/lib/server/playbooks/parse.ts';
import { fastTrackChain, snapshotPlaybook } from '../../src/lib/server/playbooks/library.ts';
import type { ApprovalRole } from '../../src/lib/shared/playbooks.ts';

const FRONT = `---
id: sample
title: Sample
lang: en
category: outage
severity: 3
approvals: [legal, executive]
first_statement_within: 45m
variables: [service]
summary: A sample.
---`;

function issuesOf(body: string, front = FRONT): string[] {
	const result = parsePlaybook(`${front}\n${body}`);
	if (result.ok) return [];
	return result.issues.map((issue) => formatIssue('f.md', issue));
}

describe('playbook parser', () => {
	it('reads the reference playbook completely', () => {
		const result = parsePlaybook(readFileSync('playbooks/en/impulsive-post.md', 'utf8'));
		if (!result.ok) throw new Error(result.issues.map((i) => formatIssue('impulsive-post.md', i)).join('\n'));
		const { playbook } = result;
		expect(playbook).toMatchObject({
			id: 'impulsive-post',
			lang: 'en',
			category: 'bad-buzz',
			severity: 2,
			approvals: ['legal', 'executive'],
			firstStatementWithinMinutes: 60,
			approvalSlaSeconds: 600,
			updateEveryMinutes: { 1: 30, 2: 60, 3: 120 },
			variables: ['topic', 'platform']
		});
		expect(playbook.phases.map((p) => p.title)).toEqual([
			'Assess (0–30 min)',
			'First response (30–60 min)',
			'Follow up (1–24 h)',
			'Learn (1–7 days)'
		]);
		const [assess] = playbook.phases;
		expect(assess!.tasks[0]).toEqual({
			text: 'Screenshot the post, its main quotes and the first 20 replies, with URL and time',
			role: 'cm',
			offsetMinutes: 10,
			line: 26
		});
		expect(assess!.injects[0]).toMatchObject({ atSeconds: 720, atMinutes: 12, channel: 'x', from: '@angry_customer' });
		expect(assess!.notes).toContain('switch to the data-breach playbook');
		const statements = playbook.phases.flatMap((p) => p.statements);
		expect(statements.map((s) => [s.id, s.channel])).toEqual([
			['first-response', 'x'],
			['internal-brief', 'internal'],
			['press-statement', 'press']
		]);
		expect(playbook.intro).toContain('Rules for everyone in this room');
		expect(playbook.phases.at(-1)!.tasks.at(-1)!.offsetMinutes).toBe(7 * 24 * 60);
	});

	it('parses durations in minutes, hours and days', () => {
		expect(parseDuration('0m')).toBe(0);
		expect(parseDuration('90m')).toBe(90);
		expect(parseDuration('2h')).toBe(120);
		expect(parseDuration('3d')).toBe(4320);
		expect(parseDuration('2 h')).toBeNull();
		expect(parseDuration('1w')).toBeNull();
	});

	it('locates task errors on their lines, with a hint', () => {
		expect(issuesOf('## Act\n- [ ] Call legal @legl +20m\n- [ ] Wait @cm +20\n- [ ] Nothing else\n- [x] Done @cm +5m')).toEqual([
			'f.md:13: unknown role "@legl" — known: cm, legal, executive, coach, staff, observer, target',
			'f.md:14: bad offset "+20" — write it like +0m, +30m, +2h or +1d',
			'f.md:15: a task needs its text, a role and a deadline — write "- [ ] what to do @role +30m"',
			'f.md:16: a playbook task cannot be ticked already — write "- [ ]"'
		]);
	});

	it('refuses unknown placeholders, channels and attributes, duplicate ids and oversized templates', () => {
		const long = 'x'.repeat(281);
		const issues = issuesOf(
			[
				'## Act',
				'- [ ] Post on {{service}} for {{org}} @cm +5m',
				'```statement id=a channel=x title="A"',
				'Hello {{customer}} — {{signature}}',
				'```',
				'```statement id=a channel=fax title="B"',
				'Hi',
				'```',
				'```statement id=b channel=x title="Long"',
				`${long}{{date}}`,
				'```',
				'```inject at=15m channel=x colour=red',
				'Boo',
				'```'
			].join('\n')
		);
		expect(issues).toEqual([
			'f.md:14: unknown placeholder "{{customer}}" — known: org, incident.title, signature, date, service; declare your own in "variables"',
			'f.md:17: unknown channel "fax" — known: x, facebook, linkedin, instagram, press, website, internal, email',
			'f.md:20: template "b" is already 281 characters without its placeholders, over the 280 of x — shorten it, or use another channel',
			'f.md:23: unknown attribute "colour" on a inject block — known: at, channel, from, outlet, deadline, subject',
			'f.md:23: an inject needs a time like at=+15m, not "15m"'
		]);
		expect(issuesOf('## Act\n- [ ] x @cm +1m\n```statement id=a channel=x title="A"\nA\n```\n```statement id=a channel=email title="B"\nB\n```')).toEqual([
			'f.md:17: duplicate statement id "a" — first used on line 14'
		]);
	});

	it('checks the front matter field by field, on the right lines', () => {
		const front = `---
id: Not Valid
title: T
lang: de
category: outage
severity: 0
approvals: [legal, legl]
first_statement_within: soon
summary: S
owner: me
---`;
		expect(issuesOf('## Act\n- [ ] x @cm +1m', front)).toEqual([
			'f.md:2: id "Not Valid" is not valid — use lower-case letters, digits and dashes',
			'f.md:4: unknown language "de" — known: en, fr',
			'f.md:6: severity must be 1, 2, 3 or 4 (1 is the worst), not "0"',
			'f.md:7: unknown approval role "legl" — known: legal, executive, cm, coach, admin',
			'f.md:8: bad duration "soon" — write it like 45m, 2h or 1d',
			'f.md:10: unknown field "owner" — known: id, title, lang, category, severity, approvals, fast_track, first_statement_within, approval_sla, update_every, variables, summary'
		]);
		expect(issuesOf('## Act\n- [ ] x @cm +1m', '---\nid: a\n---')).toContain('f.md:1: missing field "title" in the front matter');
		expect(issuesOf('## Act', 'no front matter')).toEqual([
			'f.md:1: missing front matter — start the file with a line "---", the fields, then "---"'
		]);
		expect(issuesOf('', '---\nid: [unclosed\n---')[0]).toMatch(/^f\.md:2: front matter:/);
	});

	it('leaves the approval chain to the organization when a playbook has none, and checks one that is given', () => {
		const result = parsePlaybook(`${FRONT.replace('approvals: [legal, executive]\n', '')}\n## Act\n- [ ] x @cm +1m`);
		expect(result.ok && result.playbook.approvals).toBeUndefined();
		expect(result.ok).toBe(true);
		expect(issuesOf('## Act\n- [ ] x @cm +1m', FRONT.replace('[legal, executive]', '[]'))).toEqual([
			'f.md:7: an approval chain needs at least one role: nothing is released without approval — e.g. [legal, executive]'
		]);
		expect(issuesOf('## Act\n- [ ] x @cm +1m', FRONT.replace('[legal, executive]', '[legal, executive, legal]'))).toEqual([
			'f.md:7: "legal" appears twice in the approval chain: each role approves once'
		]);
		expect(issuesOf('## Act\n- [ ] x @cm +1m', FRONT.replace('[legal, executive]', 'legal'))).toEqual([
			'f.md:7: approvals must be a list of roles, in order — e.g. approvals: [legal, executive]'
		]);
	});

	it('reads the approval SLA and the update cadence, and refuses bad ones', () => {
		const body = '## Act\n- [ ] x @cm +1m';
		const withSettings = (lines: string) => FRONT.replace('variables: [service]', `${lines}\nvariables: [service]`);
		const parsed = parsePlaybook(`${withSettings('approval_sla: 30s\nupdate_every: { 1: 30m, 2: 1h }')}\n${body}`);
		expect(parsed.ok && { sla: parsed.playbook.approvalSlaSeconds, every: parsed.playbook.updateEveryMinutes }).toEqual({ sla: 30, every: { 1: 30, 2: 60 } });
		const single = parsePlaybook(`${withSettings('approval_sla: 10m\nupdate_every: 2h')}\n${body}`);
		expect(single.ok && { sla: single.playbook.approvalSlaSeconds, every: single.playbook.updateEveryMinutes }).toEqual({ sla: 600, every: { 1: 120, 2: 120, 3: 120, 4: 120 } });
		expect(issuesOf(body, withSettings('approval_sla: soon\nupdate_every: { 5: 1h }'))).toEqual([
			'f.md:9: bad duration "soon" — write it like 10m, 1h or 30s',
			'f.md:10: update_every must be one duration (30m) or one per severity ({ 1: 30m, 2: 1h })'
		]);
	});

	it('reports empty phases, playbooks without phases and unclosed blocks', () => {
		expect(issuesOf('## Nothing here\n\nJust words.\n## Act\n- [ ] x @cm +1m')).toEqual([
			'f.md:12: phase "Nothing here" is empty: it has no task — add a line "- [ ] what to do @role +30m"'
		]);
		expect(issuesOf('Just an introduction.')).toEqual([
			'f.md:1: the playbook has no phase — every "## Title" line starts a phase'
		]);
		expect(issuesOf('## Act\n- [ ] x @cm +1m\n```statement id=a channel=x title="A"\nnever closed')).toEqual([
			'f.md:14: this statement block is never closed — close it with ```'
		]);
	});

	it('reads drill injects seconds apart, with a caller\'s outlet and deadline and an email\'s subject', () => {
		const result = parsePlaybook(
			`${FRONT}\n## Act\n- [ ] x @cm +1m\n\`\`\`inject at=+20s channel=press from="Jo Reyes" outlet="Daily Ledger" deadline="within the hour"\nA comment?\n\`\`\`\n\`\`\`inject at=+2m channel=email from="desk@news.example" subject="Your post"\nHello\n\`\`\``
		);
		expect(result.ok).toBe(true);
		const injects = result.ok ? result.playbook.phases[0]!.injects : [];
		expect(injects.map(({ line: _, ...i }) => i)).toEqual([
			{ atSeconds: 20, atMinutes: 20 / 60, channel: 'press', from: 'Jo Reyes', outlet: 'Daily Ledger', deadline: 'within the hour', body: 'A comment?' },
			{ atSeconds: 120, atMinutes: 2, channel: 'email', from: 'desk@news.example', subject: 'Your post', body: 'Hello' }
		]);
		expect(issuesOf('## Act\n- [ ] x @cm +1m\n```inject at=+5x channel=x\nBoo\n```')).toEqual(['f.md:14: an inject needs a time like at=+15m, not "+5x"']);
	});

	it('keeps ordinary code blocks as markdown, and task-like lines inside them as text', () => {
		const result = parsePlaybook(`${FRONT}\n## Act\n- [ ] x @cm +1m\n\`\`\`text\n- [ ] not a task\n\`\`\``);
		expect(result.ok).toBe(true);
		if (result.ok) {
			expect(result.playbook.phases[0]!.tasks).toHaveLength(1);
			expect(result.playbook.phases[0]!.notes).toBe('```text\n- [ ] not a task\n```');
		}
	});

	it('accepts Windows line endings and a byte-order mark', () => {
		const source = `\uFEFF${FRONT}\n## Act\n- [ ] x @cm +1m\n`.replace(/\n/g, '\r\n');
		expect(parsePlaybook(source).ok).toBe(true);
	});

	it('reads fast_track, the steps that remain for a pre-cleared line, validated like approvals', () => {
		const withFastTrack = (value: string) => parsePlaybook(`${FRONT.replace('approvals: [legal, executive]\n', `approvals: [legal, executive]\nfast_track: ${value}\n`)}\n## Act\n- [ ] x @cm +1m`);
		const ok = withFastTrack('[executive]');
		expect(ok.ok && ok.playbook.fastTrack).toEqual(['executive']);
		const absent = parsePlaybook(`${FRONT}\n## Act\n- [ ] x @cm +1m`);
		expect(absent.ok && absent.playbook.fastTrack).toBeUndefined();
		const issues = (value: string) => {
			const result = withFastTrack(value);
			return result.ok ? [] : result.issues.map((issue) => formatIssue('f.md', issue));
		};
		expect(issues('[executiv]')).toEqual(['f.md:8: unknown approval role "executiv" — known: legal, executive, cm, coach, admin']);
		expect(issues('[executive, executive]')).toEqual(['f.md:8: "executive" appears twice in the approval chain: each role approves once']);
		expect(issues('[]')).toEqual(['f.md:8: an approval chain needs at least one role: nothing is released without approval — e.g. [legal, executive]']);
		expect(issues('executive')).toEqual([
			'f.md:8: fast_track must be a list of roles: the approval steps that remain for a pre-cleared line — e.g. fast_track: [executive]'
		]);
	});

	it('every built-in playbook with fast_track keeps a step that is in its chain', () => {
		for (const lang of ['en', 'fr']) {
			for (const id of ['service-outage', 'negative-reviews', 'viral-complaint', 'misinformation', 'harassment-wave']) {
				const result = parsePlaybook(readFileSync(`playbooks/${lang}/${id}.md`, 'utf8'));
				if (!result.ok) throw new Error(`${lang}/${id}: ${result.issues.map((i) => i.message).join('; ')}`);
				const { fastTrack, approvals } = result.playbook;
				expect(fastTrack?.length, `${lang}/${id}`).toBeGreaterThan(0);
				expect(fastTrack!.every((role) => approvals!.includes(role)), `${lang}/${id}`).toBe(true);
			}
		}
	});
});

describe('the fast track of a crisis', () => {
	const snapshot = (fastTrack?: ApprovalRole[], approvals: ApprovalRole[] = ['legal', 'executive']) => {
		const result = parsePlaybook(`${FRONT}\n## Act\n- [ ] x @cm +1m`);
		if (!result.ok) throw new Error('sample playbook');
		const playbook = { ...result.playbook, approvals, ...(fastTrack ? { fastTrack } : {}) };
		return snapshotPlaybook({ playbook, source: '', sha256: '', origin: 'built-in', version: null }, ['legal', 'executive']);
	};

	it('keeps the steps the playbook names, else the organization’s, in the chain’s order', () => {
		expect(fastTrackChain(snapshot(['executive']), ['legal'])).toEqual(['executive']);
		expect(fastTrackChain(snapshot(), ['executive'])).toEqual(['executive']);
		expect(fastTrackChain(snapshot(undefined, ['coach', 'legal', 'executive']), ['executive', 'coach'])).toEqual(['coach', 'executive']);
	});

	it('never skips every step: none of the roles in the chain leaves the whole chain', () => {
		expect(fastTrackChain(snapshot(['cm']), ['executive'])).toEqual(['legal', 'executive']);
	});
});
