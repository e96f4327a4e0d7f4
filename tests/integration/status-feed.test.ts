// The Atom feed tells what the status page tells: a break-glass release is marked in both.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/lib/server/db/index.ts';
import { organizations } from '../../src/lib/server/db/schema/index.ts';
import { decide } from '../../src/lib/server/statements/decide-step.ts';
import { release } from '../../src/lib/server/statements/release-version.ts';
import { statusFeed } from '../../src/lib/server/statements/status-feed.ts';
import { publicStatus } from '../../src/lib/server/statements/status-page.ts';
import { createStatement } from '../../src/lib/server/statements/statements.ts';
import { submitForApproval } from '../../src/lib/server/statements/submit-for-approval.ts';
import { listVersions } from '../../src/lib/server/statements/versions.ts';
import { BREAK_GLASS_MARK } from '../../src/lib/shared/release-marks.ts';
import { testDatabases } from '../helpers/database.ts';
import { declare, team, type Team } from '../helpers/incidents.ts';

const REASON = 'Legal is unreachable in flight; the evening news runs it at 8 pm.';

describe.each(testDatabases)('the status feed on $name', ({ open }) => {
	let database: DatabaseHandle;
	let people: Team;
	beforeAll(async () => {
		database = await open();
		people = await team(database.db);
	});
	afterAll(() => database.close());

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
});
