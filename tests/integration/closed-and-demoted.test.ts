// Two rules that held only on some paths (issue 13): a closed incident changes on no path,
// and command follows the person's current roles, not who declared the crisis.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import * as Y from 'yjs';
import type { DatabaseHandle } from '../../src/lib/server/db/index.ts';
import { releases, statementUpdates } from '../../src/lib/server/db/schema/index.ts';
import { addNote, changeSeverity, changeStatus, handOverCommand } from '../../src/lib/server/incidents/incident-commands.ts';
import { loadWarRoom } from '../../src/lib/server/incidents/queries.ts';
import { addTask } from '../../src/lib/server/incidents/tasks.ts';
import { readTimeline } from '../../src/lib/server/incidents/timeline.ts';
import { changeRoles } from '../../src/lib/server/organizations/members.ts';
import { findActor } from '../../src/lib/server/organizations/organizations.ts';
import { decide } from '../../src/lib/server/statements/decide-step.ts';
import { release } from '../../src/lib/server/statements/release-version.ts';
import { submitForApproval } from '../../src/lib/server/statements/submit-for-approval.ts';
import { listVersions, waitingForMe } from '../../src/lib/server/statements/versions.ts';
import { createStatement, DRAFT, findStatement } from '../../src/lib/server/statements/statements.ts';
import type { Actor } from '../../src/lib/server/policy.ts';
import type { Role } from '../../src/lib/shared/roles.ts';
import { testDatabases } from '../helpers/database.ts';
import { expectCode } from '../helpers/fixtures.ts';
import { addMember, declare, team, type Team } from '../helpers/incidents.ts';

let counter = 0;
async function edit(database: DatabaseHandle, statementId: string, words: string): Promise<void> {
	const doc = new Y.Doc();
	doc.getText(DRAFT).insert(0, words);
	await database.db.insert(statementUpdates).values({ statementId, key: `closed-test:${++counter}`, update: Y.encodeStateAsUpdate(doc) });
}

describe.each(testDatabases)('closed incidents and demoted commanders on $name', ({ open }) => {
	let database: DatabaseHandle;
	let people: Team;
	beforeAll(async () => {
		database = await open();
		people = await team(database.db);
	});
	afterAll(() => database.close());

	const close = async (incidentId: string) => {
		await changeStatus(database.db, people.cm, { incidentId, status: 'resolved', reason: 'Handled' });
		await changeStatus(database.db, people.cm, { incidentId, status: 'closed', reason: 'Review done' });
	};

	it('refuses approvals, releases and break glass once the incident is closed, and nothing is recorded', async () => {
		const incidentId = await declare(database.db, people.cm);
		const approved = await createStatement(database.db, people.cm, { incidentId, templateId: 'first-response' });
		const waiting = await createStatement(database.db, people.cm, { incidentId, templateId: 'first-response', title: 'Second' });
		await edit(database, approved, 'Approved text. ');
		await edit(database, waiting, 'Waiting text. ');
		await submitForApproval(database.db, people.cm, approved);
		await submitForApproval(database.db, people.cm, waiting);
		const [a] = await listVersions(database.db, approved);
		const [w] = await listVersions(database.db, waiting);
		await decide(database.db, people.legal, { statementId: approved, versionId: a!.id, step: 0, decision: 'approved' });
		await decide(database.db, people.exec, { statementId: approved, versionId: a!.id, step: 1, decision: 'approved' });
		expect((await waitingForMe(database.db, people.legal)).map((v) => v.versionId)).toContain(w!.id);

		await close(incidentId);
		const before = (await readTimeline(database.db, incidentId)).length;

		await expectCode(decide(database.db, people.legal, { statementId: waiting, versionId: w!.id, step: 0, decision: 'approved' }), 'INCIDENT_CLOSED');
		await expectCode(release(database.db, people.cm, { statementId: approved, versionId: a!.id, channels: ['x'] }), 'INCIDENT_CLOSED');
		await expectCode(
			release(database.db, people.exec, { statementId: waiting, versionId: w!.id, channels: ['x'], breakGlassReason: 'Urgent' }),
			'INCIDENT_CLOSED'
		);
		await expectCode(submitForApproval(database.db, people.cm, waiting), 'INCIDENT_CLOSED');
		await expectCode(createStatement(database.db, people.cm, { incidentId, templateId: null, title: 'Late', channel: 'x' }), 'INCIDENT_CLOSED');
		await expectCode(addNote(database.db, people.cm, { incidentId, body: 'Late note' }), 'INCIDENT_CLOSED');

		expect(await readTimeline(database.db, incidentId)).toHaveLength(before);
		expect(await database.db.select().from(releases).where(eq(releases.statementId, approved))).toEqual([]);
		// Nothing of a closed incident waits for anyone, and its pages offer no change.
		expect((await waitingForMe(database.db, people.legal)).map((v) => v.versionId)).not.toContain(w!.id);
		expect((await findStatement(database.db, people.cm, waiting)).canEdit).toBe(false);
		expect((await loadWarRoom(database.db, people.cm, incidentId)).can).toEqual({ work: false, command: false });
	});

	async function demote(who: Actor, roles: Role[]): Promise<Actor> {
		await changeRoles(database.db, people.admin, { userId: who.userId, roles });
		return (await findActor(database.db, who.userId, who.organizationId))!;
	}

	for (const roles of [['observer'], ['staff']] as Role[][]) {
		it(`takes command away from a commander made ${roles[0]}: no severity, status, notes, tasks, statements`, async () => {
			const commander = await addMember(database.db, people.admin, ['cm'], `Former CM ${roles[0]}`);
			const incidentId = await declare(database.db, commander);
			const statementId = await createStatement(database.db, commander, { incidentId, templateId: 'first-response' });
			const demoted = await demote(commander, roles);
			const before = (await readTimeline(database.db, incidentId)).length;

			await expectCode(changeSeverity(database.db, demoted, { incidentId, severity: 1, reason: 'Worse' }), 'FORBIDDEN');
			await expectCode(changeStatus(database.db, demoted, { incidentId, status: 'monitoring', reason: 'Calmer' }), 'FORBIDDEN');
			await expectCode(handOverCommand(database.db, demoted, { incidentId, toUserId: people.cm.userId }), 'FORBIDDEN');
			await expectCode(addNote(database.db, demoted, { incidentId, body: 'Still here' }), 'FORBIDDEN');
			await expectCode(addTask(database.db, demoted, { incidentId, phase: 0, text: 'More', role: 'cm', dueInMinutes: 5 }), 'FORBIDDEN');
			await expectCode(submitForApproval(database.db, demoted, statementId), 'FORBIDDEN');
			expect((await findStatement(database.db, demoted, statementId)).canEdit).toBe(false);
			expect((await loadWarRoom(database.db, demoted, incidentId)).can).toEqual({ work: false, command: false });
			expect(await readTimeline(database.db, incidentId)).toHaveLength(before);

			// Someone who may command takes over, and the incident goes on.
			await handOverCommand(database.db, people.cm, { incidentId, toUserId: people.exec.userId });
			await changeSeverity(database.db, people.exec, { incidentId, severity: 1, reason: 'Worse' });
		});
	}
});
