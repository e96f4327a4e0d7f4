// The Atom feed tells what the status page tells: a break-glass release is marked in both; a
// correction updates the entry and keeps the earlier text; a withdrawal says why.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/lib/server/db/index.ts';
import * as Y from 'yjs';
import { organizations, statementUpdates } from '../../src/lib/server/db/schema/index.ts';
import { withdrawRelease } from '../../src/lib/server/statements/withdraw-release.ts';
import { expectCode } from '../helpers/fixtures.ts';
import { decide } from '../../src/lib/server/statements/decide-step.ts';
import { release } from '../../src/lib/server/statements/release-version.ts';
import { statusFeed } from '../../src/lib/server/statements/status-feed.ts';
import { publicStatus } from '../../src/lib/server/statements/status-page.ts';
import { applyStored, createStatement } from '../../src/lib/server/statements/statements.ts';
import { submitForApproval } from '../../src/lib/server/statements/submit-for-approval.ts';
import { listVersions } from '../../src/lib/server/statements/versions.ts';
import { BREAK_GLASS_MARK } from '../../src/lib/shared/release-marks.ts';
import { testDatabases } from '../helpers/database.ts';
import { declare, team, type Team } from '../helpers/incidents.ts';

let counter = 0;
const REASON = 'Legal is unreachable in flight; the evening news runs it at 8 pm.';

describe.each(testDatabases)('the status feed on $name', ({ open }) => {
	let database: DatabaseHandle;
	let people: Team;
	beforeAll(async () => {
		database = await open();
		people = await team(database.db);
	});
	afterAll(() => database.close());

	/** Appends to one variant's draft, as the realtime layer stores an edit. */
	async function edit(statementId: string, name: string, words: string): Promise<void> {
		const rows = await database.db.select({ update: statementUpdates.update }).from(statementUpdates).where(eq(statementUpdates.statementId, statementId));
		const doc = applyStored(new Y.Doc(), rows);
		const before = Y.encodeStateVector(doc);
		const text = doc.getText(name);
		text.insert(text.length, words);
		await database.db.insert(statementUpdates).values({ statementId, key: `feed:${++counter}`, update: Y.encodeStateAsUpdate(doc, before) });
	}

	async function submitted(): Promise<{ statementId: string; versionId: string }> {
		const incidentId = await declare(database.db, people.cm);
		const statementId = await createStatement(database.db, people.cm, { incidentId, templateId: 'first-response', variantChannels: ['press'] });
		await submitForApproval(database.db, people.cm, statementId);
		const [version] = await listVersions(database.db, statementId);
		return { statementId, versionId: version!.id };
	}

	it('marks a break-glass release like the page does, and an approved one not at all', async () => {
		const approved = await submitted();
		await decide(database.db, people.legal, { ...approved, step: 0, decision: 'approved' });
		await decide(database.db, people.exec, { ...approved, step: 1, decision: 'approved' });
		await release(database.db, people.cm, { ...approved, channels: ['x'] });
		const early = await submitted();
		await release(database.db, people.exec, { ...early, channels: ['press'], breakGlassReason: REASON });

		const [organization] = await database.db
			.select({ slug: organizations.slug })
			.from(organizations)
			.where(eq(organizations.id, people.admin.organizationId));
		const status = await publicStatus(database.db, organization!.slug);
		expect(status.statements.map((s) => s.current?.breakGlass)).toEqual([true, false]);
		const xml = statusFeed(status, `https://holdline.example.org/status/${organization!.slug}`);
		const entries = [...xml.matchAll(/<entry>([\s\S]*?)<\/entry>/g)].map((m) => m[1]!);
		expect(entries).toHaveLength(2);
		const [breakGlass, normal] = entries;

		expect(breakGlass).toMatch(new RegExp(`<title>[^<]*\\(Press\\) · ${BREAK_GLASS_MARK.replace(/[()]/g, '\\$&')}</title>`));
		expect(breakGlass).toContain(`<category term="break-glass" label="${BREAK_GLASS_MARK}"/>`);
		expect(normal).toMatch(/<title>[^<]*\(X\)<\/title>/);
		expect(normal).not.toContain('break-glass');
		expect(normal).not.toContain(BREAK_GLASS_MARK);
		// The page shows the mark, not the reason; so does the feed.
		expect(xml).not.toContain('unreachable in flight');
	});

	it('shows a corrected statement’s current text, “updated”, with the earlier one; a withdrawn one with its reason; internal updates and drills never', async () => {
		const incidentId = await declare(database.db, people.cm);
		const statementId = await createStatement(database.db, people.cm, { incidentId, templateId: 'first-response', variantChannels: ['website', 'internal'] });
		const approve = async () => {
			const [v] = await listVersions(database.db, statementId);
			await decide(database.db, people.legal, { statementId, versionId: v!.id, step: 0, decision: 'approved' });
			await decide(database.db, people.exec, { statementId, versionId: v!.id, step: 1, decision: 'approved' });
			return v!;
		};
		await edit(statementId, 'variant:internal', ' Staff only: do not forward.');
		await submitForApproval(database.db, people.cm, statementId);
		const v1 = await approve();
		await release(database.db, people.cm, { statementId, versionId: v1.id, channels: ['x', 'website', 'internal'] });
		await edit(statementId, 'variant:website', ' Corrected.');
		await submitForApproval(database.db, people.cm, statementId);
		const v2 = await approve();
		await release(database.db, people.cm, { statementId, versionId: v2.id, channels: ['website'] });

		const [organization] = await database.db.select({ slug: organizations.slug }).from(organizations).where(eq(organizations.id, people.admin.organizationId));
		const entry = () => publicStatus(database.db, organization!.slug).then((s) => s.statements.find((x) => x.id === statementId)!);
		const corrected = await entry();
		expect(corrected.channel).toBe('website');
		expect(corrected.current!.text).toBe(`${v1.variants[1]!.text} Corrected.`);
		expect(corrected.history.map((h) => h.text)).toEqual([v1.variants[1]!.text]);
		expect(corrected.updatedAt.getTime()).toBeGreaterThanOrEqual(corrected.publishedAt.getTime());
		const xml = statusFeed(await publicStatus(database.db, organization!.slug), 'https://holdline.example.org/status/x');
		expect(xml).toContain(`<id>urn:uuid:${corrected.history[0]!.id}</id>`);
		expect(xml).toMatch(/\(Website\) · updated<\/title>/);

		const [website] = (await listVersions(database.db, statementId))[0]!.releases;
		await withdrawRelease(database.db, people.cm, { statementId, releaseId: website!.id, reason: 'Figures were wrong' });
		const withdrawn = await entry();
		expect(withdrawn.current).toBeNull();
		expect(withdrawn.withdrawal?.reason).toBe('Figures were wrong');
		expect(withdrawn.history.map((h) => h.text)).toEqual([`${v1.variants[1]!.text} Corrected.`, v1.variants[1]!.text]);
		await expectCode(withdrawRelease(database.db, people.cm, { statementId, releaseId: website!.id, reason: 'again' }), 'ALREADY_DECIDED');
		await expectCode(withdrawRelease(database.db, people.legal, { statementId, releaseId: website!.id, reason: 'no right' }), 'FORBIDDEN');
		// The internal update went out too, and never shows in public; nor does a drill's release.
		const drill = await declare(database.db, people.cm, new Date(), true);
		const rehearsed = await createStatement(database.db, people.cm, { incidentId: drill, templateId: 'first-response' });
		await submitForApproval(database.db, people.cm, rehearsed);
		const [d] = await listVersions(database.db, rehearsed);
		await release(database.db, people.exec, { statementId: rehearsed, versionId: d!.id, channels: ['x'], breakGlassReason: 'drill' });
		const everything = await publicStatus(database.db, organization!.slug);
		expect(everything.statements.map((s) => s.channel)).not.toContain('internal');
		expect(JSON.stringify(everything)).not.toContain('Staff only');
		expect(everything.statements.map((s) => s.id)).not.toContain(rehearsed);
	});
});
