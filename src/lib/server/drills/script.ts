// A drill's script: the injects of its frozen playbook, numbered from 1 in the playbook's
// order, their placeholders filled as a statement template's are. Read on the server only;
// the war room gets it for the facilitator alone.
import { eq } from 'drizzle-orm';
import type { Executor } from '../db/index.ts';
import { organizations } from '../db/schema/index.ts';
import type { IncidentRow } from '../incidents/access.ts';
import { fillTemplate, longDate } from '../statements/template.ts';
import type { ScriptedInject } from '../../shared/drills.ts';

export async function drillScript(db: Executor, incident: IncidentRow): Promise<ScriptedInject[]> {
	if (!incident.drill) return [];
	const [organization] = await db.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, incident.organizationId));
	const { playbook } = incident.playbook;
	const values = {
		org: organization?.name ?? '',
		incidentTitle: incident.title,
		signature: '',
		date: longDate(incident.declaredAt, playbook.lang),
		variables: incident.variables
	};
	const fill = (text: string) => fillTemplate(text, values);
	return playbook.phases
		.flatMap((phase) => phase.injects)
		.map((inject, i) => ({
			number: i + 1,
			// Playbooks frozen before seconds were allowed carry minutes only.
			atSeconds: inject.atSeconds ?? inject.atMinutes * 60,
			channel: inject.channel,
			from: inject.from && fill(inject.from),
			...(inject.outlet ? { outlet: fill(inject.outlet) } : {}),
			...(inject.deadline ? { deadline: fill(inject.deadline) } : {}),
			...(inject.subject ? { subject: fill(inject.subject) } : {}),
			body: fill(inject.body)
		}));
}
