// Notifications: what Holdline tells one person (a nudge's sentence, a link to the exact
// page). Written in the transaction of the nudge, read by the header's count and the
// notifications page, and sent by email by a job of its own, exactly once, in the reader's
// language, when the person wants emails.
import { and, count, desc, eq, isNull } from 'drizzle-orm';
import type { Executor } from '../db/index.ts';
import { notifications, organizations, users } from '../db/schema/index.ts';
import { defineJob } from '../jobs/registry.ts';
import { scheduleJob } from '../jobs/schedule.ts';
import { inLanguage } from '../i18n.ts';
import type { Actor } from '../policy.ts';
import { m } from '../../paraglide/messages.js';
import type { NotificationData, NudgeKind } from '../../shared/nudge-kinds.ts';
import { nudgeSentence } from '../../shared/nudge-text.ts';
import { mailer } from './mail.ts';

export interface NewNotification {
	organizationId: string;
	incidentId: string;
	eventSeq: number;
	kind: NudgeKind;
	data: NotificationData;
	link: string;
	userIds: string[];
}

/** Inside the caller's transaction: one row per person, and its email job. */
export async function notify(tx: Executor, notice: NewNotification, now: Date): Promise<void> {
	if (!notice.userIds.length) return;
	const { userIds, ...rest } = notice;
	const rows = await tx
		.insert(notifications)
		.values(userIds.map((userId) => ({ ...rest, userId, createdAt: now })))
		.returning({ id: notifications.id });
	for (const row of rows) {
		await scheduleJob(tx, notificationEmail, { organizationId: notice.organizationId, incidentId: notice.incidentId, dueAt: now, payload: { notificationId: row.id } }, now);
	}
}

export interface NotificationView {
	id: string;
	kind: NudgeKind;
	data: NotificationData;
	link: string;
	createdAt: Date;
	read: boolean;
}

export async function listNotifications(db: Executor, actor: Actor, limit = 50): Promise<NotificationView[]> {
	const rows = await db
		.select({ id: notifications.id, kind: notifications.kind, data: notifications.data, link: notifications.link, createdAt: notifications.createdAt, readAt: notifications.readAt })
		.from(notifications)
		.where(and(eq(notifications.userId, actor.userId), eq(notifications.organizationId, actor.organizationId)))
		.orderBy(desc(notifications.createdAt))
		.limit(limit);
	return rows.map(({ readAt, ...row }) => ({ ...row, read: readAt !== null }));
}

export async function unreadCount(db: Executor, actor: Actor): Promise<number> {
	const [row] = await db
		.select({ n: count() })
		.from(notifications)
		.where(and(eq(notifications.userId, actor.userId), eq(notifications.organizationId, actor.organizationId), isNull(notifications.readAt)));
	return row?.n ?? 0;
}

/** Marks one of the person's own notifications read; its link, or null when it is not theirs. */
export async function openNotification(db: Executor, actor: Actor, id: string, now = new Date()): Promise<string | null> {
	const mine = and(eq(notifications.id, id), eq(notifications.userId, actor.userId), eq(notifications.organizationId, actor.organizationId));
	const [row] = await db.select({ link: notifications.link, readAt: notifications.readAt }).from(notifications).where(mine);
	if (!row) return null;
	if (!row.readAt) await db.update(notifications).set({ readAt: now }).where(mine);
	return row.link;
}

export async function markAllRead(db: Executor, actor: Actor, now = new Date()): Promise<void> {
	await db
		.update(notifications)
		.set({ readAt: now })
		.where(and(eq(notifications.userId, actor.userId), eq(notifications.organizationId, actor.organizationId), isNull(notifications.readAt)));
}

/** The email of one notification: the nudge's sentence and its link, in the reader's language. */
export const notificationEmail = defineJob<{ notificationId: string }>('notifications.email', async ({ tx, job }) => {
	const [row] = await tx
		.select({
			id: notifications.id,
			kind: notifications.kind,
			data: notifications.data,
			link: notifications.link,
			createdAt: notifications.createdAt,
			email: users.email,
			wantsEmail: users.emailNotifications,
			language: users.language,
			organization: organizations.name,
			organizationLanguage: organizations.language
		})
		.from(notifications)
		.innerJoin(users, eq(users.id, notifications.userId))
		.innerJoin(organizations, eq(organizations.id, notifications.organizationId))
		.where(eq(notifications.id, job.payload.notificationId));
	if (!row || !row.wantsEmail) return;
	const { origin, send } = mailer();
	// The link goes through the notification, which marks it read on the way.
	const url = `${origin}/notifications/${row.id}`;
	const mail = inLanguage(row.language ?? row.organizationLanguage, () => {
		const sentence = nudgeSentence(row.kind, row.data, row.createdAt.toISOString());
		const where = row.data.drill ? m.notifications_in_drill({ title: row.data.incidentTitle }) : m.notifications_in_crisis({ title: row.data.incidentTitle });
		return {
			to: row.email,
			subject: row.data.drill ? `${m.email_drill_prefix()} ${sentence}` : sentence,
			text: [sentence, where, m.email_open_link({ url }), '', m.email_footer({ organization: row.organization, url: `${origin}/account` })].join('\n')
		};
	});
	await send(mail);
});
