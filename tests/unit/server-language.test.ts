// What the server writes for people speaks the reader's language: the timeline's sentences,
// refusals, form messages, playbook problems, the Markdown export and the public feed.
// Without a request (as every other test runs) the server speaks English.
import { describe, expect, it } from 'vitest';
import { inLanguage } from '../../src/lib/server/i18n.ts';
import { authorize, stepRefusal } from '../../src/lib/server/policy.ts';
import { parsePlaybook } from '../../src/lib/server/playbooks/parse.ts';
import { timelineMarkdown } from '../../src/lib/server/incidents/export.ts';
import { statusFeed } from '../../src/lib/server/statements/status-feed.ts';
import { describeEvent } from '../../src/lib/shared/timeline-text.ts';
import { fieldErrors, incidentCommandSchema, loginSchema } from '../../src/lib/shared/validation.ts';
import type { EventData, EventType, TaskView, TimelineEventView } from '../../src/lib/shared/incident-state.ts';

const task: TaskView = {
	id: 't1', phase: 0, position: 0, text: 'Appeler la presse', role: 'cm', assigneeId: null, assigneeName: null,
	dueAt: '2030-01-01T10:00:00.000Z', state: 'todo', skipReason: null, changedByName: null, changedAt: null, adHoc: false, targetName: null
};
const statement = { statementId: 's1', title: 'Première réponse', version: 2 };

/** One event of each type this module renders (a newer one, like nudges, has its own sentences). */
const EVENTS: { [T in EventType]?: EventData[T] } = {
	'incident.declared': { title: 'Bad buzz', severity: 2, drill: false, playbook: 'fr/bad-buzz', tasks: 1 },
	'task.added': { task },
	'task.assigned': { taskId: 't1', text: 'Appeler la presse', assigneeId: 'u2', assigneeName: 'Lou' },
	'task.started': { taskId: 't1', text: 'Appeler la presse' },
	'task.done': { taskId: 't1', text: 'Appeler la presse' },
	'task.reopened': { taskId: 't1', text: 'Appeler la presse' },
	'task.skipped': { taskId: 't1', text: 'Appeler la presse', reason: 'déjà fait' },
	'note.added': { body: 'note' },
	'severity.changed': { from: 2, to: 1, reason: 'ça monte' },
	'status.changed': { from: 'active', to: 'monitoring', reason: 'ça se calme' },
	'command.handed_over': { fromId: 'u1', fromName: 'Camille', toId: 'u2', toName: 'Eve' },
	'member.joined': { userId: 'u2', name: 'Lou' },
	'target.added': { name: 'Sam', userId: null, tasks: [task, task] },
	'statement.created': { ...statement, channel: 'website', createdByName: 'Camille' },
	'statement.submitted': { ...statement, sha256: 'a'.repeat(64) },
	'statement.superseded': { ...statement, by: 3, cancelledSteps: ['legal', 'executive'] },
	'statement.approved': { ...statement, step: 0, role: 'legal', final: true },
	'statement.rejected': { ...statement, step: 1, role: 'executive', comment: 'trop long' },
	'statement.released': { ...statement, sha256: 'b'.repeat(64), channels: ['x', 'press'], breakGlassReason: 'urgent' }
};
/** French puts a no-break space before « : » and inside « »; compared here as plain spaces. */
const plain = (text: string | undefined) => text?.replace(/[\u00a0\u202f]/g, ' ');
const fr = <T>(work: () => T) => inLanguage('fr', work);

const eventOf = (type: EventType, data: unknown) =>
	({ seq: 1, type, at: '2030-01-01T09:05:00.000Z', actorId: 'u1', actorName: 'Camille', data, hash: 'h' }) as TimelineEventView;

/** Words of the English sentences that no French one may contain. */
const ENGLISH = /\b(the|declared|added|assigned|unassigned|started|completed|reopened|skipped|changed|moved|handed|command|protected|released|approved|rejected|submitted|replaced|joined|version \d+ of|from|with|as|on|for|approval|severity|incident|BREAK GLASS)\b/;

describe('the timeline in French', () => {
	for (const [type, data] of Object.entries(EVENTS)) {
		it(`renders ${type} without an English word`, () => {
			const french = inLanguage('fr', () => describeEvent(eventOf(type as EventType, data)));
			expect(french).not.toMatch(ENGLISH);
			expect(french).not.toBe(describeEvent(eventOf(type as EventType, data)));
		});
	}

	it('reads naturally: statuses quoted as labelled, drills named as drills, French plurals and typography', () => {
		const status = eventOf('status.changed', EVENTS['status.changed']);
		expect(fr(() => describeEvent(status))).toContain('«\u00a0En cours\u00a0» à');
		expect(plain(fr(() => describeEvent(status)))).toBe('Camille a fait passer la crise de « En cours » à « Sous surveillance » : ça se calme');
		expect(plain(fr(() => describeEvent(status, { drill: true })))).toContain('l’exercice de « En cours »');
		expect(describeEvent(status)).toBe('Camille moved the incident from Active to Monitoring: ça se calme');
		expect(plain(fr(() => describeEvent(eventOf('incident.declared', { ...EVENTS['incident.declared'], drill: true }))))).toMatch(/^Camille a lancé l’exercice « Bad buzz » .* 1 tâche à mener$/);
		expect(plain(fr(() => describeEvent(eventOf('statement.released', EVENTS['statement.released']))))).toContain('sur X, Presse — PUBLICATION D’URGENCE : urgent');
		expect(describeEvent(eventOf('target.added', { ...EVENTS['target.added'], tasks: [task] }))).toMatch(/with 1 protective task$/);
	});
});

describe('refusals in French', () => {
	it('a domain error thrown inside a French request carries a French sentence', () => {
		const observer = { roles: ['observer' as const] };
		expect(() => inLanguage('fr', () => authorize(observer, 'members.manage'))).toThrow('Seuls les administrateurs gèrent les membres.');
		expect(() => authorize(observer, 'members.manage')).toThrow('Only admins manage members.');
		const step = { role: 'legal' as const, authorId: 'other', deciders: [] };
		expect(inLanguage('fr', () => stepRefusal({ userId: 'me', roles: ['cm'] }, step))?.message).toBe('Cette étape revient au rôle Juridique.');
	});

	it('a refused form answers in French, numbers written the French way', () => {
		// zod writes its messages when they are first read: inside the request, as forms do.
		const login = fr(() => fieldErrors(loginSchema.safeParse({ email: '', password: '' }).error!));
		expect(login).toEqual({ email: 'Saisissez votre adresse e-mail.', password: 'Saisissez votre mot de passe.' });
		const note = { type: 'note.add', incidentId: '00000000-0000-4000-8000-000000000001', body: 'x'.repeat(10_001) };
		const french = fr(() => fieldErrors(incidentCommandSchema.safeParse(note).error!));
		expect(french.body).toMatch(/^Une note doit tenir en moins de 10\s000 caractères\.$/);
		expect(fieldErrors(incidentCommandSchema.safeParse(note).error!).body).toBe('Keep a note under 10,000 characters.');
	});

	it('playbook problems are told in French, their lines and the names they quote unchanged', () => {
		const source = '---\nid: x\ntitle: T\nlang: fr\ncategory: other\nseverity: 2\nfirst_statement_within: 30m\nsummary: s\n---\n## Phase\n- [ ] Appeler @legl +5m\n';
		const [issue, ...more] = fr(() => parsePlaybook(source)).issues;
		expect(more).toEqual([]);
		expect(issue!.line).toBe(11);
		expect(plain(issue!.message)).toBe('rôle inconnu « @legl »');
		expect(plain(issue!.hint)).toMatch(/^valeurs connues : cm, legal/);
		expect(parsePlaybook(source).issues[0]).toMatchObject({ line: 11, message: 'unknown role "@legl"' });
	});
});

describe('documents for people in French', () => {
	it('the Markdown export: French prose, times in the reader’s time zone', () => {
		const incident = {
			id: 'i1', title: 'Fuite', drill: true, severity: 2, status: 'monitoring',
			declaredAt: new Date('2030-01-01T09:00:00Z'), firstStatementDueAt: new Date('2030-01-01T09:30:00Z'), firstStatementAt: null,
			playbook: { id: 'p', lang: 'fr', sha256: 'x', playbook: { title: 'Fuite de données' } }
		};
		const exported = { incident, events: [eventOf('status.changed', EVENTS['status.changed'])], verification: { intact: true as const, events: 1 } };
		const markdown = plain(fr(() => timelineMarkdown(exported as never, 'Europe/Paris')));
		expect(markdown).toContain('# [EXERCICE] Fuite');
		expect(markdown).toContain('- Déclarée : 2030-01-01 10:00:00');
		expect(markdown).toContain('- Première déclaration : pas encore publiée (échéance 2030-01-01 10:30:00)');
		expect(markdown).toContain('- Gravité : 2 · Statut : Sous surveillance');
		expect(markdown).toContain('- Chronologie : intacte, 1 événement vérifié');
		expect(markdown).toContain('## Chronologie (Europe/Paris)');
		expect(markdown).toContain('- **2030-01-01 10:05:00** — Camille a fait passer l’exercice de « En cours » à « Sous surveillance » : ça se calme');
	});

	it('the Atom feed speaks its organization’s language, whoever asks', () => {
		const status = {
			organization: { name: 'Mutuelle Horizon', slug: 'mutuelle-horizon', language: 'fr' as const },
			statements: [
				{
					id: 's1',
					title: 'Incident',
					channel: 'press' as const,
					current: { id: 'r1', text: 'Texte', sha256: 'x', releasedAt: new Date('2030-01-01T09:00:00Z'), breakGlass: true },
					withdrawal: null,
					publishedAt: new Date('2030-01-01T09:00:00Z'),
					updatedAt: new Date('2030-01-01T09:00:00Z'),
					history: []
				},
				{
					id: 's2',
					title: 'Ancienne',
					channel: 'website' as const,
					current: null,
					withdrawal: { reason: 'chiffres faux', at: new Date('2030-01-01T08:30:00Z') },
					publishedAt: new Date('2030-01-01T08:00:00Z'),
					updatedAt: new Date('2030-01-01T08:30:00Z'),
					history: [{ id: 'r0', text: 'Avant', sha256: 'y', releasedAt: new Date('2030-01-01T08:00:00Z'), breakGlass: false }]
				}
			]
		};
		const xml = statusFeed(status, 'https://example.org/status/mutuelle-horizon');
		expect(xml).toContain('<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">');
		expect(xml).toContain('<title>Mutuelle Horizon — déclarations</title>');
		expect(xml).toContain('<title>Incident (Presse) · publiée avant la fin de la validation (urgence)</title>');
		expect(xml).toContain('<updated>2030-01-01T09:00:00.000Z</updated>');
		expect(xml).toContain('<title>Ancienne (Site web) · retiré</title>');
		expect(xml).toContain('Retiré : chiffres faux');
		expect(xml).toContain('Texte précédent, publié le 2030-01-01T08:00:00.000Z :');
	});
});
