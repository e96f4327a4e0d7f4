// Pre-cleared lines outside any incident: the organization's default chain with the
// statements' step rules, one outcome for two clicks, immutable versions, review-by dates,
// what the war room may start from, and nothing of one organization reachable from another.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import type { DatabaseHandle } from '../../src/lib/server/db/index.ts';
import { clearedLines, clearedLineVersions } from '../../src/lib/server/db/schema/index.ts';
import type { DomainError } from '../../src/lib/server/errors.ts';
import { sha256Hex } from '../../src/lib/server/hash.ts';
import type { Actor } from '../../src/lib/server/policy.ts';
import { createLine } from '../../src/lib/server/cleared-lines/create-line.ts';
import { submitLineVersion } from '../../src/lib/server/cleared-lines/submit-line-version.ts';
import { decideLineStep } from '../../src/lib/server/cleared-lines/decide-line-step.ts';
import { setReviewBy } from '../../src/lib/server/cleared-lines/set-review-by.ts';
import { lineDetail, listLibrary } from '../../src/lib/server/cleared-lines/library.ts';
import { linesWaitingForMe } from '../../src/lib/server/cleared-lines/waiting-lines.ts';
import { clearedLineVersion, usableLines } from '../../src/lib/server/cleared-lines/usable-lines.ts';
import { fastTrackApprovals, setDefaultApprovalChain, setFastTrackApprovals } from '../../src/lib/server/organizations/approval-chain.ts';
import { testDatabases } from '../helpers/database.ts';
import { expectCode } from '../helpers/fixtures.ts';
import { addMember, team, type Team } from '../helpers/incidents.ts';

const NOW = new Date('2031-03-10T09:00:00Z');
const DAY = 24 * 60 * 60 * 1000;
const iso = (offsetDays: number) => new Date(NOW.getTime() + offsetDays * DAY).toISOString().slice(0, 10);
const TEXT = 'We know {{product}} is unavailable since {{time}}. Our teams are on it; updates on {{page}}.';

describe.each(testDatabases)('pre-cleared lines on $name', ({ open }) => {
	let database: DatabaseHandle;
	let people: Team;
	let other: Team;
	let legal2: Actor;
	beforeAll(async () => {
		database = await open();
		people = await team(database.db);
		other = await team(database.db);
		legal2 = await addMember(database.db, people.admin, ['legal'], 'Lee');
	});
	afterAll(() => database.close());

	const input = (overrides: Record<string, unknown> = {}) => ({
		title: 'Outage acknowledged',
		channels: ['x', 'website'],
		tags: 'outage, App, app',
		ownerId: people.cm.userId,
		reviewBy: iso(60),
		text: TEXT,
		...overrides
	});
	const create = (overrides: Record<string, unknown> = {}, by: Actor = people.cm) => createLine(database.db, by, input(overrides), NOW);
	const detail = (lineId: string, by: Actor = people.cm, now = NOW) => lineDetail(database.db, by, lineId, now);
	const approveAll = async (lineId: string) => {
		const { versions } = await detail(lineId);
		await decideLineStep(database.db, people.legal, { lineId, versionId: versions[0]!.id, step: 0, decision: 'approved' }, NOW);
		await decideLineStep(database.db, people.exec, { lineId, versionId: versions[0]!.id, step: 1, decision: 'approved' }, NOW);
	};
	const countLines = async () => ((await database.db.select({ n: sql<number>`count(*)::int` }).from(clearedLines)) as [{ n: number }])[0].n;

	it('creates a line with its first version in review through the default chain, NFC and hashed', async () => {
		const lineId = await create({ text: 'Cafe\u0301 {{product}} reopened.' });
		const line = await detail(lineId);
		expect(line).toMatchObject({ title: 'Outage acknowledged', channels: ['x', 'website'], tags: ['outage', 'App'], ownerId: people.cm.userId, approvedNumber: null });
		const [v1] = line.versions;
		expect(v1).toMatchObject({ number: 1, status: 'in_review', chain: ['legal', 'executive'], authorId: people.cm.userId, text: 'Café {{product}} reopened.' });
		expect(v1!.sha256).toBe(sha256Hex('Café {{product}} reopened.'));
		expect(line.waiting).toMatchObject({ step: 0, role: 'legal', mine: false });
		expect((await detail(lineId, people.legal)).waiting).toMatchObject({ step: 0, role: 'legal', mine: true });
		expect(await usableLines(database.db, people.cm, NOW)).not.toContainEqual(expect.objectContaining({ lineId }));
	});

	it('refuses bad input with a message on its field, and stores nothing', async () => {
		const before = await countLines();
		const cases: [Record<string, unknown>, string][] = [
			[{ title: '  ' }, 'title'],
			[{ channels: [] }, 'channels'],
			[{ channels: ['telegraph'] }, 'channels'],
			[{ text: 'Hello {{first name}}' }, 'text'],
			[{ text: 'Hello {{name' }, 'text'],
			[{ reviewBy: iso(-1) }, 'reviewBy'],
			[{ reviewBy: '2031-02-30' }, 'reviewBy'],
			[{ ownerId: other.cm.userId }, 'ownerId']
		];
		for (const [overrides, field] of cases) {
			const error = await expectCode(create(overrides), 'VALIDATION_FAILED');
			expect({ overrides, field: error.field }).toEqual({ overrides, field });
			expect(error.message).toMatch(/\w/);
		}
		expect((await expectCode(create({ text: 'Hello {{first name}}' }), 'VALIDATION_FAILED')).message).toContain('first name');
		expect(await countLines()).toBe(before);
	});

	it('goes through the chain in order with the statements’ rules: role, four eyes, one step each', async () => {
		const lineId = await create({}, people.legal);
		const { versions } = await detail(lineId);
		const versionId = versions[0]!.id;
		const decide = (by: Actor, step: number, decision: 'approved' | 'rejected' = 'approved', comment?: string) =>
			decideLineStep(database.db, by, { lineId, versionId, step, decision, comment }, NOW);
		await expectCode(decide(people.exec, 0), 'NOT_STEP_ROLE');
		await expectCode(decide(people.legal, 0), 'OWN_VERSION');
		await expectCode(decide(people.observer, 0), 'FORBIDDEN');
		await expectCode(decide(people.exec, 1), 'STEP_NOT_WAITING');
		await expectCode(decide(legal2, 0, 'rejected'), 'VALIDATION_FAILED');
		await decide(legal2, 0);
		await expectCode(decide(legal2, 0), 'ALREADY_DECIDED');
		await decide(people.exec, 1);
		const line = await detail(lineId);
		expect(line.versions[0]).toMatchObject({ status: 'approved' });
		expect(line.versions[0]!.decisions.map((d) => [d.step, d.role, d.decidedById])).toEqual([
			[0, 'legal', legal2.userId],
			[1, 'executive', people.exec.userId]
		]);
		await expectCode(decide(people.exec, 1), 'VERSION_NOT_IN_REVIEW');
	});

	it('an admin holding both roles decides one step only', async () => {
		const both = await addMember(database.db, people.admin, ['legal', 'executive'], 'Bo');
		const lineId = await create();
		const versionId = (await detail(lineId)).versions[0]!.id;
		await decideLineStep(database.db, both, { lineId, versionId, step: 0, decision: 'approved' }, NOW);
		await expectCode(decideLineStep(database.db, both, { lineId, versionId, step: 1, decision: 'approved' }, NOW), 'DECIDED_ANOTHER_STEP');
	});

	it('two approvers deciding the same step at once give exactly one decision', async () => {
		const lineId = await create();
		const versionId = (await detail(lineId)).versions[0]!.id;
		const results = await Promise.allSettled([
			decideLineStep(database.db, people.legal, { lineId, versionId, step: 0, decision: 'approved' }, NOW),
			decideLineStep(database.db, legal2, { lineId, versionId, step: 0, decision: 'rejected', comment: 'No' })
		]);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		expect(((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason as DomainError).code).toBe('ALREADY_DECIDED');
		const [version] = (await detail(lineId)).versions;
		expect(version!.decisions).toHaveLength(1);
		expect(version!.status).toBe(version!.decisions[0]!.decision === 'rejected' ? 'rejected' : 'in_review');
	});

	it('a rejection needs a comment and ends the version; a new version goes through the chain again', async () => {
		const lineId = await create();
		const v1 = (await detail(lineId)).versions[0]!;
		await decideLineStep(database.db, people.legal, { lineId, versionId: v1.id, step: 0, decision: 'rejected', comment: 'Too vague' }, NOW);
		expect((await detail(lineId)).versions[0]!.status).toBe('rejected');
		expect(await submitLineVersion(database.db, people.cm, lineId, { text: `${TEXT} Sorry.` }, NOW)).toBe(2);
		const line = await detail(lineId);
		expect(line.versions.map((v) => [v.number, v.status])).toEqual([
			[2, 'in_review'],
			[1, 'rejected']
		]);
		expect(line.waiting).toMatchObject({ versionId: line.versions[0]!.id, step: 0 });
	});

	it('only the latest approved version is usable; a version in review is superseded by the next', async () => {
		const lineId = await create();
		await approveAll(lineId);
		const v1 = (await detail(lineId)).versions[0]!;
		await expectCode(submitLineVersion(database.db, people.cm, lineId, { text: TEXT }, NOW), 'NOTHING_CHANGED');
		await submitLineVersion(database.db, people.cm, lineId, { text: `${TEXT} (2)` }, NOW);
		// Version 1 stays usable while version 2 is in review.
		expect((await usableLines(database.db, people.cm, NOW)).find((l) => l.lineId === lineId)).toMatchObject({ versionId: v1.id, number: 1 });
		await submitLineVersion(database.db, people.cm, lineId, { text: `${TEXT} (3)` }, NOW);
		const v2 = (await detail(lineId)).versions[1]!;
		expect(v2.status).toBe('superseded');
		await expectCode(decideLineStep(database.db, people.legal, { lineId, versionId: v2.id, step: 0, decision: 'approved' }, NOW), 'VERSION_SUPERSEDED');
		await approveAll(lineId);
		const statuses = (await detail(lineId)).versions.map((v) => [v.number, v.status]);
		expect(statuses).toEqual([
			[3, 'approved'],
			[2, 'superseded'],
			[1, 'superseded']
		]);
		const usable = (await usableLines(database.db, people.cm, NOW)).filter((l) => l.lineId === lineId);
		expect(usable).toHaveLength(1);
		expect(usable[0]).toMatchObject({ number: 3, text: `${TEXT} (3)` });
		expect(await clearedLineVersion(database.db, people.cm.organizationId, v1.id, NOW)).toBeNull();
	});

	it('versions are immutable in the database', async () => {
		const lineId = await create();
		const versionId = (await detail(lineId)).versions[0]!.id;
		await expect(database.db.update(clearedLineVersions).set({ text: 'Something else' }).where(eq(clearedLineVersions.id, versionId))).rejects.toThrow();
		await expect(database.db.update(clearedLineVersions).set({ sha256: 'x' }).where(eq(clearedLineVersions.id, versionId))).rejects.toThrow();
		expect((await detail(lineId)).versions[0]!.text).toBe(TEXT);
	});

	it('gives the war room each usable line with its placeholders, and one approved version by id', async () => {
		const lineId = await create({ title: 'Usable outage line' });
		await approveAll(lineId);
		const versionId = (await detail(lineId)).versions[0]!.id;
		expect((await usableLines(database.db, people.exec, NOW)).find((l) => l.lineId === lineId)).toEqual({
			lineId,
			versionId,
			number: 1,
			title: 'Usable outage line',
			channels: ['x', 'website'],
			text: TEXT,
			sha256: sha256Hex(TEXT),
			placeholders: ['product', 'time', 'page'],
			tags: ['outage', 'App'],
			reviewBy: new Date(`${iso(60)}T00:00:00Z`),
			pastReview: false
		});
		expect(await clearedLineVersion(database.db, people.cm.organizationId, versionId, NOW)).toEqual({
			lineId,
			versionId,
			number: 1,
			title: 'Usable outage line',
			channels: ['x', 'website'],
			text: TEXT,
			sha256: sha256Hex(TEXT),
			reviewBy: new Date(`${iso(60)}T00:00:00Z`),
			pastReview: false
		});
		expect(await clearedLineVersion(database.db, other.cm.organizationId, versionId, NOW)).toBeNull();
		expect(await clearedLineVersion(database.db, people.cm.organizationId, 'not-a-uuid', NOW)).toBeNull();
		expect(await usableLines(database.db, other.cm, NOW)).toEqual([]);
		// Past its review-by day, it is still given, marked: it takes the full chain.
		const later = new Date(`${iso(61)}T00:00:00Z`);
		expect((await usableLines(database.db, people.cm, later)).find((l) => l.lineId === lineId)?.pastReview).toBe(true);
		expect((await clearedLineVersion(database.db, people.cm.organizationId, versionId, later))?.pastReview).toBe(true);
		expect((await clearedLineVersion(database.db, people.cm.organizationId, versionId, new Date(later.getTime() - 1)))?.pastReview).toBe(false);
	});

	it('review-by: the admin and the owner see lines due within 14 days first, and move the date (recorded)', async () => {
		const soon = await create({ title: 'Due soon', reviewBy: iso(10) });
		const later = await create({ title: 'Due later', reviewBy: iso(30) });
		const dueFor = async (by: Actor, now = NOW) => (await listLibrary(database.db, by, {}, now)).due.map((l) => l.id);
		expect(await dueFor(people.admin)).toContain(soon);
		expect(await dueFor(people.admin)).not.toContain(later);
		expect(await dueFor(people.cm)).toContain(soon); // Camille owns it
		expect(await dueFor(people.legal)).toEqual([]);
		await expectCode(setReviewBy(database.db, people.legal, soon, { reviewBy: iso(40) }, NOW), 'FORBIDDEN');
		await expectCode(setReviewBy(database.db, people.admin, soon, { reviewBy: iso(-2) }, NOW), 'VALIDATION_FAILED');
		await expectCode(setReviewBy(database.db, people.admin, soon, { reviewBy: 'soon' }, NOW), 'VALIDATION_FAILED');
		await setReviewBy(database.db, people.admin, soon, { reviewBy: iso(40) }, new Date(NOW.getTime() + 1000));
		const line = await detail(soon);
		expect(line.reviewBy).toEqual(new Date(`${iso(40)}T00:00:00Z`));
		expect(line.reviews.map((r) => [r.reviewBy.toISOString().slice(0, 10), r.setByName])).toEqual([
			[iso(40), 'Admin Person'],
			[iso(10), 'Camille']
		]);
		expect(await dueFor(people.admin)).not.toContain(soon);
		// Past review: still listed, marked.
		const past = (await listLibrary(database.db, people.cm, {}, new Date(`${iso(31)}T00:00:00Z`))).lines.find((l) => l.id === later);
		expect(past).toMatchObject({ pastReview: true, dueForReview: true });
	});

	it('filters the library by tag and channel', async () => {
		const tagged = await create({ title: 'Tagged line', tags: 'Recall', channels: ['press'] });
		const all = await listLibrary(database.db, people.observer, {}, NOW);
		expect(all.tags).toContain('Recall');
		expect((await listLibrary(database.db, people.cm, { tag: 'recall' }, NOW)).lines.map((l) => l.id)).toEqual([tagged]);
		expect((await listLibrary(database.db, people.cm, { channel: 'press' }, NOW)).lines.map((l) => l.id)).toEqual([tagged]);
		expect((await listLibrary(database.db, people.cm, { channel: 'press', tag: 'outage' }, NOW)).lines).toEqual([]);
		await expectCode(listLibrary(database.db, people.staff, {}, NOW), 'FORBIDDEN');
		await expectCode(create({}, people.observer), 'FORBIDDEN');
	});

	it('another organization gets NOT_FOUND for every action, and sees none of the lines', async () => {
		const lineId = await create();
		const versionId = (await detail(lineId)).versions[0]!.id;
		const intruder = other.admin;
		await expectCode(lineDetail(database.db, intruder, lineId, NOW), 'NOT_FOUND');
		await expectCode(submitLineVersion(database.db, intruder, lineId, { text: 'Hacked' }, NOW), 'NOT_FOUND');
		await expectCode(decideLineStep(database.db, other.legal, { lineId, versionId, step: 0, decision: 'approved' }, NOW), 'NOT_FOUND');
		await expectCode(setReviewBy(database.db, intruder, lineId, { reviewBy: iso(90) }, NOW), 'NOT_FOUND');
		await expectCode(lineDetail(database.db, intruder, 'not-a-uuid', NOW), 'NOT_FOUND');
		expect((await listLibrary(database.db, intruder, {}, NOW)).lines).toEqual([]);
		// Another line's version id under this line is not found either.
		const second = await create();
		await expectCode(decideLineStep(database.db, people.legal, { lineId: second, versionId, step: 0, decision: 'approved' }, NOW), 'NOT_FOUND');
	});

	it('uses the organization’s default chain at submission time', async () => {
		await setDefaultApprovalChain(database.db, people.admin, ['executive']);
		try {
			const lineId = await create();
			expect((await detail(lineId)).versions[0]!.chain).toEqual(['executive']);
		} finally {
			await setDefaultApprovalChain(database.db, people.admin, ['legal', 'executive']);
		}
	});

	it('the fast-track setting: executive by default, set by an admin, validated', async () => {
		expect(await fastTrackApprovals(database.db, people.admin.organizationId)).toEqual(['executive']);
		await expectCode(setFastTrackApprovals(database.db, people.cm, ['legal']), 'FORBIDDEN');
		await expectCode(setFastTrackApprovals(database.db, people.admin, []), 'VALIDATION_FAILED');
		await expectCode(setFastTrackApprovals(database.db, people.admin, ['janitor']), 'VALIDATION_FAILED');
		expect(await setFastTrackApprovals(database.db, people.admin, ['legal', 'executive'])).toEqual(['legal', 'executive']);
		expect(await fastTrackApprovals(database.db, people.admin.organizationId)).toEqual(['legal', 'executive']);
		expect(await fastTrackApprovals(database.db, other.admin.organizationId)).toEqual(['executive']);
		await expect(database.db.execute(sql`UPDATE organizations SET fast_track_approvals = '{}' WHERE id = ${people.admin.organizationId}`)).rejects.toThrow();
	});

	it('waits for each approver in turn, beside statements (the header’s count and the approvals page)', async () => {
		const lineId = await create({ title: 'Waiting in turn' });
		const waiting = async (by: Actor) => (await linesWaitingForMe(database.db, by)).map((l) => l.id);
		expect(await waiting(people.legal)).toContain(lineId);
		expect(await waiting(people.exec)).not.toContain(lineId);
		// The author does not approve their own line; another organization never sees it.
		expect(await waiting(people.cm)).not.toContain(lineId);
		expect(await waiting(other.legal)).not.toContain(lineId);
		const { versions } = await detail(lineId);
		await decideLineStep(database.db, people.legal, { lineId, versionId: versions[0]!.id, step: 0, decision: 'approved' }, NOW);
		expect(await waiting(people.legal)).not.toContain(lineId);
		expect(await waiting(people.exec)).toContain(lineId);
	});
});
