// The README's "Who may do what" table is the policy as people read it: this test reads
// it and asks `policy.ts` every cell, so the two can never disagree. Then the rules the
// table cannot show: closed incidents, demoted commanders, the approval step.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
	can,
	canOnIncident,
	incidentRefusal,
	stepRefusal,
	type IncidentAction,
	type IncidentStanding
} from '../../src/lib/server/policy.ts';
import { APPROVAL_ROLES } from '../../src/lib/shared/playbooks.ts';
import { ROLES, type Role } from '../../src/lib/shared/roles.ts';

const NEUTRAL: IncidentStanding = { participant: false, commander: false, closed: false, assignee: false };
const actor = (roles: Role[]) => ({ userId: 'me', roles });

/** What each row of the table means, as a question to the policy. */
const ROWS: Record<string, (roles: Role[], standing: IncidentStanding) => boolean> = {
	'see the organization, its members and playbooks': (r) =>
		can({ roles: r }, 'organization.view') && can({ roles: r }, 'members.view') && can({ roles: r }, 'playbooks.view'),
	'invite, change roles, remove members': (r) => can({ roles: r }, 'members.manage'),
	'write, upload, customize playbooks': (r) => can({ roles: r }, 'playbooks.manage'),
	'declare a crisis (or a drill)': (r) => can({ roles: r }, 'incidents.declare'),
	'open a war room, read its timeline, export it': (r, s) => canOnIncident({ roles: r }, 'incidents.view', s),
	'work on tasks (assign, start, done, skip), add notes and tasks': (r, s) => canOnIncident({ roles: r }, 'incidents.work', s),
	'change severity and status, hand over command': (r, s) => canOnIncident({ roles: r }, 'incidents.command', s),
	'edit statements, submit them for approval': (r, s) => canOnIncident({ roles: r }, 'incidents.work', { ...s, assignee: false }),
	'decide an approval step': (r, s) =>
		canOnIncident({ roles: r }, 'statements.decide', s) &&
		// A chain's steps ask for approval roles only; holding one, one may decide its step.
		APPROVAL_ROLES.some((role) => r.includes(role) && stepRefusal(actor(r), { role, authorId: 'someone else', deciders: [] }) === null),
	'release an approved version': (r, s) => canOnIncident({ roles: r }, 'statements.release', s),
	'break glass (release before every approval, with a reason)': (r, s) => canOnIncident({ roles: r }, 'statements.break_glass', s),
	'set the default approval chain, register webhooks': (r) => can({ roles: r }, 'organization.manage')
};

/** Footnotes that grant a cell under a condition: the standing that meets it (an assignee takes part). */
const CONDITIONS: Record<string, Partial<IncidentStanding>> = { '¹': { participant: true }, '²': { participant: true, assignee: true } };

function readTable(): { action: string; cells: string[] }[] {
	const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
	const section = readme.slice(readme.indexOf('### Who may do what'));
	const lines = section.split('\n').filter((l) => l.startsWith('|'));
	const header = lines[0]!.split('|').slice(2, -1).map((c) => c.trim());
	expect(header).toEqual([...ROLES]);
	return lines.slice(2).map((line) => {
		const [action, ...cells] = line.split('|').slice(1, -1).map((c) => c.trim());
		return { action: action!.replace(/[¹²³]$/, ''), cells };
	});
}

describe('the README table of who may do what', () => {
	const table = readTable();

	it('has a row for every question and a question for every row', () => {
		expect(table.map((r) => r.action).sort()).toEqual(Object.keys(ROWS).sort());
	});

	for (const { action, cells } of table) {
		it(action, () => {
			ROLES.forEach((role, i) => {
				const cell = cells[i]!;
				const allowed = ROWS[action]!([role], NEUTRAL);
				expect({ role, allowed }).toEqual({ role, allowed: cell === '✓' });
				const condition = CONDITIONS[cell];
				if (condition) expect({ role, allowed: ROWS[action]!([role], { ...NEUTRAL, ...condition }) }).toEqual({ role, allowed: true });
			});
		});
	}
});

const CHANGES: IncidentAction[] = ['incidents.work', 'incidents.command', 'statements.decide', 'statements.release', 'statements.break_glass'];

describe('a closed incident', () => {
	const closed = { ...NEUTRAL, participant: true, commander: true, assignee: true, closed: true };
	it('can still be read by everyone who could read it', () => {
		for (const role of ROLES) expect(canOnIncident({ roles: [role] }, 'incidents.view', closed)).toBe(true);
	});
	it('refuses every change to every role, even its commander, with INCIDENT_CLOSED', () => {
		for (const role of ROLES) {
			for (const action of CHANGES) {
				const refusal = incidentRefusal({ roles: [role] }, action, closed);
				// A role that could never do it is told so; any other is told it is closed.
				const open = incidentRefusal({ roles: [role] }, action, { ...closed, closed: false });
				expect({ role, action, code: refusal?.code }).toEqual({ role, action, code: open ? open.code : 'INCIDENT_CLOSED' });
			}
		}
	});
});

describe('a commander whose roles changed', () => {
	const commanding = { ...NEUTRAL, participant: true, commander: true };
	it('loses command and work when made observer or staff', () => {
		for (const roles of [['observer'], ['staff']] as Role[][]) {
			expect(canOnIncident({ roles }, 'incidents.command', commanding)).toBe(false);
			expect(canOnIncident({ roles }, 'incidents.work', commanding)).toBe(false);
			expect(canOnIncident({ roles }, 'statements.release', commanding)).toBe(false);
		}
	});
	it('keeps only what their new roles give: legal works but no longer commands', () => {
		expect(canOnIncident({ roles: ['legal'] }, 'incidents.work', commanding)).toBe(true);
		expect(canOnIncident({ roles: ['legal'] }, 'incidents.command', commanding)).toBe(false);
	});
	it('still sees the incident as staff (they take part in it)', () => {
		expect(canOnIncident({ roles: ['staff'] }, 'incidents.view', commanding)).toBe(true);
	});
});

describe('deciding an approval step', () => {
	const step = { role: 'legal' as const, authorId: 'author', deciders: ['first-approver'] };
	it('is for who holds the role, did not write the version and decided no other step', () => {
		expect(stepRefusal({ userId: 'me', roles: ['legal'] }, step)).toBeNull();
		expect(stepRefusal({ userId: 'me', roles: ['cm'] }, step)?.message).toBe('This step is for Legal.');
		expect(stepRefusal({ userId: 'author', roles: ['legal'] }, step)?.message).toMatch(/You submitted this version/);
		expect(stepRefusal({ userId: 'first-approver', roles: ['legal'] }, step)?.message).toMatch(/already decided a step/);
		expect(stepRefusal({ userId: 'me', roles: ['legal'] }, { ...step, role: undefined })?.code).toBe('VERSION_NOT_IN_REVIEW');
	});
});
