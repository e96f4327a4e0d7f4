// The timeline as a document: Markdown for people, JSON (with the hash chain) for machines.
import type { Executor } from '../db/index.ts';
import type { Actor } from '../policy.ts';
import { describeEvent } from '../../shared/timeline-text.ts';
import { findIncident } from './access.ts';
import { readTimeline, verifyTimeline } from './timeline.ts';

export async function exportTimeline(db: Executor, actor: Actor, incidentId: string) {
	const incident = await findIncident(db, actor, incidentId);
	const events = await readTimeline(db, incident.id);
	const verification = await verifyTimeline(db, incident.id);
	return { incident, events, verification };
}

export function timelineMarkdown({ incident, events, verification }: Awaited<ReturnType<typeof exportTimeline>>): string {
	const lines = [
		`# ${incident.drill ? '[DRILL] ' : ''}${incident.title}`,
		'',
		`- Declared: ${incident.declaredAt.toISOString()}`,
		`- Severity: ${incident.severity} · Status: ${incident.status}`,
		`- Playbook: ${incident.playbook.playbook.title} (${incident.playbook.lang}/${incident.playbook.id}, sha256 ${incident.playbook.sha256})`,
		`- Timeline: ${verification.intact ? `intact, ${verification.events} events verified` : `ALTERED at event ${verification.brokenAt} (${verification.reason})`}`,
		'',
		'## Timeline (UTC)',
		''
	];
	for (const event of events) {
		lines.push(`- **${event.at.slice(0, 19).replace('T', ' ')}** — ${describeEvent(event)}`);
		if (event.type === 'note.added') {
			lines.push('', ...String(event.data.body).split('\n').map((l) => `  > ${l}`), '');
		}
	}
	return lines.join('\n') + '\n';
}
