// The demo's pre-cleared lines: a few realistic lines per organization (Acme in English,
// Mutuelle Horizon in French), approved by legal and the executive through the domain
// functions, one of them due for review within the week.
import type { Database } from '../db/index.ts';
import type { Actor } from '../policy.ts';
import { createLine } from '../cleared-lines/create-line.ts';
import { decideLineStep } from '../cleared-lines/decide-line-step.ts';
import { latestLineVersion } from '../cleared-lines/lines.ts';
import type { Channel } from '../../shared/channels.ts';

interface DemoLine {
	title: string;
	channels: Channel[];
	tags: string;
	text: string;
	/** Days from today to the review-by date. */
	reviewInDays: number;
}

const LINES: Record<'acme.test' | 'mutuelle-horizon.test', DemoLine[]> = {
	'acme.test': [
		{
			title: 'Outage acknowledged',
			channels: ['x', 'website'],
			tags: 'outage',
			text: 'We know {{service}} is unavailable since {{time}}. Our teams are working on it and we will post the next update on {{status_page}} within the hour. — {{signature}}',
			reviewInDays: 90
		},
		{
			title: 'Product recall: first notice',
			channels: ['press', 'website', 'email'],
			tags: 'recall, safety',
			text: 'As a precaution, Acme is recalling {{product}} (batches {{batches}}). Stop using it and contact {{contact}} for a full refund. Nobody has been reported hurt.',
			reviewInDays: 5
		},
		{
			title: 'We hear you (complaint going viral)',
			channels: ['x', 'facebook', 'instagram'],
			tags: 'complaint',
			text: 'We have seen your messages about {{topic}}. You deserve better: we are looking into it and will answer here today. — {{signature}}',
			reviewInDays: 60
		}
	],
	'mutuelle-horizon.test': [
		{
			title: 'Panne reconnue',
			channels: ['x', 'website'],
			tags: 'panne',
			text: '{{service}} est indisponible depuis {{heure}}. Nos équipes sont mobilisées ; prochain point sur {{page_statut}} dans l’heure. Vos remboursements ne sont pas perdus. — {{signature}}',
			reviewInDays: 120
		},
		{
			title: 'Retard de remboursements',
			channels: ['email', 'website'],
			tags: 'remboursements, adhérents',
			text: 'Une partie des remboursements prévus le {{date}} est retardée de {{delai}}. Aucune démarche n’est nécessaire de votre part : ils seront versés automatiquement.',
			reviewInDays: 6
		},
		{
			title: 'Hameçonnage au nom de la mutuelle',
			channels: ['x', 'facebook', 'email'],
			tags: 'fraude',
			text: 'Attention : des messages frauduleux circulent au nom de Mutuelle Horizon ({{canal}}). Nous ne vous demandons jamais vos codes bancaires. Signalez-les à {{contact}}.',
			reviewInDays: 45
		}
	]
};

const DAY = 24 * 60 * 60 * 1000;

export async function seedClearedLines(db: Database, actors: Map<string, Actor>, now = new Date()): Promise<void> {
	for (const [domain, lines] of Object.entries(LINES)) {
		const person = (role: string) => actors.get(`${role}@${domain}`)!;
		for (const line of lines) {
			const reviewBy = new Date(now.getTime() + line.reviewInDays * DAY).toISOString().slice(0, 10);
			const lineId = await createLine(db, person('cm'), { ...line, ownerId: person('cm').userId, reviewBy }, now);
			const version = (await latestLineVersion(db, lineId))!;
			await decideLineStep(db, person('legal'), { lineId, versionId: version.id, step: 0, decision: 'approved' }, now);
			await decideLineStep(db, person('exec'), { lineId, versionId: version.id, step: 1, decision: 'approved' }, now);
		}
	}
}
