// The nudge check of one incident: one job per incident (key `nudges:<incident>`), which
// reads the incident's state, sends every nudge that has fallen due and was not sent yet
// (timeline event, notifications, emails, webhooks, all in the job's transaction), then
// sleeps until the next one. Every change to the incident brings the check forward to "now"
// (`scheduleNudgeCheck`, called by `appendEvent`), so a nudge never outlives what it waited
// for: the check simply finds nothing left to send.
import { eq } from 'drizzle-orm';
import type { Executor } from '../db/index.ts';
import { incidents, organizations } from '../db/schema/index.ts';
import { loadWarRoom } from '../incidents/queries.ts';
import { appendEvent } from '../incidents/timeline.ts';
import { defineJob } from '../jobs/registry.ts';
import { notify } from '../notifications/notifications.ts';
import { enqueue } from '../webhooks/webhooks.ts';
import type { Actor } from '../policy.ts';
import { DEFAULT_APPROVAL_SLA_MINUTES, dueNudges, nextNudgeAt, type Nudge, type NudgeSettings } from '../../shared/nudges.ts';
import { nudgeLink, nudgeSentence } from '../../shared/nudge-text.ts';
import type { IncidentState } from '../../shared/incident-state.ts';
import { NUDGE_CHECK } from './schedule.ts';

/** Webhook events for integrations (chat, paging): an approval waiting past its time, a deadline missed. */
const WEBHOOK_EVENT: Partial<Record<Nudge['kind'], string>> = {
	'approval.remind': 'approval.waiting',
	'first_statement.missed': 'deadline.missed',
	'task.remind': 'deadline.missed'
};

async function settingsOf(tx: Executor, state: IncidentState, organizationId: string): Promise<NudgeSettings> {
	const [organization] = await tx
		.select({ approvalSlaMinutes: organizations.approvalSlaMinutes })
		.from(organizations)
		.where(eq(organizations.id, organizationId));
	const playbook = state.incident.playbook;
	return {
		approvalSlaMs:
			playbook.approvalSlaSeconds !== undefined
				? playbook.approvalSlaSeconds * 1000
				: (organization?.approvalSlaMinutes ?? DEFAULT_APPROVAL_SLA_MINUTES) * 60_000,
		updateEveryMinutes: playbook.updateEveryMinutes?.[state.incident.severity] ?? null
	};
}

export const nudgeCheck = defineJob<Record<string, never>>(NUDGE_CHECK, async ({ tx, job, now, late, publishAfterCommit }) => {
	const incidentId = job.incidentId;
	const organizationId = job.organizationId;
	if (!incidentId || !organizationId) return;
	// The timeline is appended to under the incident's row lock, as every change does.
	const [locked] = await tx.select({ id: incidents.id }).from(incidents).where(eq(incidents.id, incidentId)).for('update');
	if (!locked) return;
	// Holdline reads the incident as its organization's admins do: everything, nobody's standing.
	const system: Actor = { userId: '00000000-0000-0000-0000-000000000000', organizationId, roles: ['admin'] };
	const { state, members } = await loadWarRoom(tx, system, incidentId, { system: true });
	const settings = await settingsOf(tx, state, organizationId);
	const names = new Map(members.map((m) => [m.userId, m.displayName]));
	const sent: number[] = [];
	for (const nudge of dueNudges(state, members, settings, now.getTime())) {
		const to = nudge.to.map((userId) => ({ userId, name: names.get(userId) ?? '' }));
		const event = await appendEvent(tx, incidentId, 'nudge.sent', null, { key: nudge.key, kind: nudge.kind, to, about: nudge.about, late }, now);
		state.timeline.push(event);
		sent.push(event.seq);
		publishAfterCommit({ type: 'incident.events', organizationId, incidentId, events: [event] });
		const link = nudgeLink(incidentId, nudge.about);
		const data = { ...nudge.about, incidentTitle: state.incident.title, drill: state.incident.drill, late };
		await notify(tx, { organizationId, incidentId, eventSeq: event.seq, kind: nudge.kind, data, link, userIds: nudge.to }, now);
		const webhookEvent = WEBHOOK_EVENT[nudge.kind];
		// A drill never leaves Holdline.
		if (webhookEvent && !state.incident.drill) {
			const payload = { incident: { id: incidentId, title: state.incident.title }, nudge: { kind: nudge.kind, at: now.toISOString(), ...nudge.about }, link };
			await enqueue(tx, organizationId, webhookEvent, payload, now, () => nudgeSentence(nudge.kind, nudge.about, now.toISOString()));
		}
		if (nudge.to.length) publishAfterCommit({ type: 'notifications.changed', organizationId, userIds: nudge.to });
	}
	const next = nextNudgeAt(state, members, settings, now.getTime());
	return next === null ? undefined : { repeatAt: new Date(next) };
});
