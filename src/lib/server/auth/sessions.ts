// Sessions per the current Lucia guidance, by hand: random token in the cookie, its SHA-256
// as the row id, a sliding expiry renewed when half of it is used up, and an absolute
// lifetime that never moves.
import { and, eq, lt, ne, or } from 'drizzle-orm';
import type { Executor } from '../db/index.ts';
import { sessions, users } from '../db/schema/index.ts';
import { publish } from '../events.ts';
import { generateToken, hashToken } from './tokens.ts';
import type { Language } from '../../shared/locale.ts';

export interface SessionPolicy {
	idleMs: number;
	absoluteMs: number;
}

export interface Session {
	id: string;
	userId: string;
	organizationId: string | null;
	expiresAt: Date;
	absoluteExpiresAt: Date;
}

export interface SessionUser {
	id: string;
	email: string;
	displayName: string;
	/** Null: follow the browser. */
	language: Language | null;
	/** Null: follow the organization. */
	timeZone: string | null;
	/** Notifications also by email. */
	emailNotifications: boolean;
}

export interface ValidatedSession {
	session: Session;
	user: SessionUser;
	/** True when the expiry moved forward and the cookie must be sent again. */
	renewed: boolean;
}

export async function createSession(
	db: Executor,
	policy: SessionPolicy,
	userId: string,
	organizationId: string | null,
	now = new Date()
): Promise<{ token: string; session: Session }> {
	const token = generateToken();
	const session: Session = {
		id: hashToken(token),
		userId,
		organizationId,
		absoluteExpiresAt: new Date(now.getTime() + policy.absoluteMs),
		expiresAt: new Date(now.getTime() + Math.min(policy.idleMs, policy.absoluteMs))
	};
	await db.insert(sessions).values({ ...session, createdAt: now });
	return { token, session };
}

export async function validateSessionToken(
	db: Executor,
	policy: SessionPolicy,
	token: string,
	now = new Date()
): Promise<ValidatedSession | null> {
	if (!/^[a-z2-7]{32}$/.test(token)) return null;
	const id = hashToken(token);
	const [row] = await db
		.select({
			session: sessions,
			user: {
				id: users.id,
				email: users.email,
				displayName: users.displayName,
				language: users.language,
				timeZone: users.timeZone,
				emailNotifications: users.emailNotifications
			}
		})
		.from(sessions)
		.innerJoin(users, eq(users.id, sessions.userId))
		.where(eq(sessions.id, id));
	if (!row) return null;
	const { session, user } = row;
	if (now >= session.expiresAt || now >= session.absoluteExpiresAt) {
		await db.delete(sessions).where(eq(sessions.id, id));
		return null;
	}
	let renewed = false;
	if (session.expiresAt.getTime() - now.getTime() < policy.idleMs / 2) {
		const expiresAt = new Date(
			Math.min(now.getTime() + policy.idleMs, session.absoluteExpiresAt.getTime())
		);
		if (expiresAt > session.expiresAt) {
			await db.update(sessions).set({ expiresAt }).where(eq(sessions.id, id));
			session.expiresAt = expiresAt;
			renewed = true;
		}
	}
	return {
		session: {
			id: session.id,
			userId: session.userId,
			organizationId: session.organizationId,
			expiresAt: session.expiresAt,
			absoluteExpiresAt: session.absoluteExpiresAt
		},
		user,
		renewed
	};
}

export async function invalidateSession(db: Executor, sessionId: string): Promise<void> {
	await db.delete(sessions).where(eq(sessions.id, sessionId));
	publish({ type: 'sessions.ended', sessionIds: [sessionId] });
}

/** Ends every session of a person but, optionally, the one they are using. */
export async function invalidateUserSessions(
	db: Executor,
	userId: string,
	exceptSessionId?: string
): Promise<void> {
	const ended = await db
		.delete(sessions)
		.where(
			exceptSessionId
				? and(eq(sessions.userId, userId), ne(sessions.id, exceptSessionId))
				: eq(sessions.userId, userId)
		)
		.returning({ id: sessions.id });
	if (ended.length) publish({ type: 'sessions.ended', sessionIds: ended.map((s) => s.id) });
}

export async function setSessionOrganization(
	db: Executor,
	sessionId: string,
	organizationId: string
): Promise<void> {
	await db.update(sessions).set({ organizationId }).where(eq(sessions.id, sessionId));
}

/** Housekeeping: expired rows are useless; validation ignores them anyway. */
export async function deleteExpiredSessions(db: Executor, now = new Date()): Promise<void> {
	await db
		.delete(sessions)
		.where(or(lt(sessions.expiresAt, now), lt(sessions.absoluteExpiresAt, now)));
}
