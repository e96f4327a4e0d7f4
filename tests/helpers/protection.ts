// Builders for the protected people's tests: a crisis declared from the harassment playbook.
import type { Database } from '../../src/lib/server/db/index.ts';
import { declareIncident } from '../../src/lib/server/incidents/declare-incident.ts';
import type { Actor } from '../../src/lib/server/policy.ts';
import { builtInPlaybook } from './incidents.ts';

export async function harassmentWave(db: Database, by: Actor, now = new Date()): Promise<string> {
	const entry = builtInPlaybook('harassment-wave');
	const variables = Object.fromEntries(entry.playbook.variables.map((v) => [v, 'x']));
	return (await declareIncident(db, by, entry, { title: 'Wave against our reporter', severity: 2, drill: false, variables }, now)).incidentId;
}
