import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { authenticate } from '../../src/lib/server/auth/authenticate.ts';
import {
	createSession,
	deleteExpiredSessions,
	invalidateSession,
	invalidateUserSessions,
	validateSessionToken
} from '../../src/lib/server/auth/sessions.ts';
import { hashToken } from '../../src/lib/server/auth/tokens.ts';
import type { DatabaseHandle } from '../../src/lib/server/db/index.ts';
import { sessions } from '../../src/lib/server/db/schema/index.ts';
import { subscribe, type DomainEvent } from '../../src/lib/server/events.ts';
import { signUpAdmin } from '../helpers/fixtures.ts';
import { testDatabases } from '../helpers/database.ts';

const DAY = 86_400_000;
const policy = { idleMs: 14 * DAY, absoluteMs: 30 * DAY };

describe.each(testDatabases)('sessions on $name', ({ open }) => {
	let database: DatabaseHandle;
	beforeAll(async () => {
		database = await open();
	});
	afterAll(() => database.close());

	it('stores only the SHA-256 of a 160-bit token', async () => {
		const admin = await signUpAdmin(database.db);
		const { token, session } = await createSession(database.db, policy, admin.userId, admin.organizationId);
		// 20 random bytes in base32 are 32 characters.
		expect(token).toMatch(/^[a-z2-7]{32}$/);
		expect(session.id).toBe(hashToken(token));
		const rows = await database.db.select().from(sessions).where(eq(sessions.userId, admin.userId));
		expect(rows).toHaveLength(1);
		expect(JSON.stringify(rows)).not.toContain(token);
	});

	it('validates a token and returns the person, and refuses unknown or malformed tokens', async () => {
		const admin = await signUpAdmin(database.db);
		const { token } = await createSession(database.db, policy, admin.userId, admin.organizationId);
		const valid = await validateSessionToken(database.db, policy, token);
		expect(valid?.user).toMatchObject({ id: admin.userId, email: admin.email });
		expect(valid?.renewed).toBe(false);
		expect(await validateSessionToken(database.db, policy, 'a'.repeat(32))).toBeNull();
		expect(await validateSessionToken(database.db, policy, `${token}'; drop table sessions; --`)).toBeNull();
	});

	it('slides the expiry forward when half of it is used up, never past the absolute lifetime', async () => {
		const admin = await signUpAdmin(database.db);
		const t0 = new Date('2030-03-01T08:00:00Z');
		const { token } = await createSession(database.db, policy, admin.userId, admin.organizationId, t0);

		const early = await validateSessionToken(database.db, policy, token, new Date(t0.getTime() + 2 * DAY));
		expect(early?.renewed).toBe(false);
		expect(early?.session.expiresAt.getTime()).toBe(t0.getTime() + 14 * DAY);

		const t8 = new Date(t0.getTime() + 8 * DAY);
		const renewed = await validateSessionToken(database.db, policy, token, t8);
		expect(renewed?.renewed).toBe(true);
		expect(renewed?.session.expiresAt.getTime()).toBe(t8.getTime() + 14 * DAY);

		// Used every six days, it still dies at the absolute lifetime.
		let at = t8;
		for (let visit = 0; visit < 3; visit++) {
			at = new Date(at.getTime() + 6 * DAY);
			const still = await validateSessionToken(database.db, policy, token, at);
			expect(still).not.toBeNull();
			expect(still!.session.expiresAt.getTime()).toBeLessThanOrEqual(t0.getTime() + 30 * DAY);
		}
		expect(await validateSessionToken(database.db, policy, token, new Date(t0.getTime() + 30 * DAY))).toBeNull();
	});

	it('expires an idle session and deletes it', async () => {
		const admin = await signUpAdmin(database.db);
		const t0 = new Date('2030-04-01T08:00:00Z');
		const { token, session } = await createSession(database.db, policy, admin.userId, admin.organizationId, t0);
		expect(await validateSessionToken(database.db, policy, token, new Date(t0.getTime() + 14 * DAY))).toBeNull();
		expect(await database.db.select().from(sessions).where(eq(sessions.id, session.id))).toHaveLength(0);
	});

	it('housekeeping deletes expired sessions only', async () => {
		const admin = await signUpAdmin(database.db);
		const old = await createSession(database.db, policy, admin.userId, null, new Date('2000-01-01T00:00:00Z'));
		const fresh = await createSession(database.db, policy, admin.userId, null);
		await deleteExpiredSessions(database.db);
		const left = (await database.db.select().from(sessions).where(eq(sessions.userId, admin.userId))).map((s) => s.id);
		expect(left).toEqual([fresh.session.id]);
		expect(left).not.toContain(old.session.id);
	});

	it('logging out deletes the session server-side and tells the realtime layer', async () => {
		const admin = await signUpAdmin(database.db);
		const events: DomainEvent[] = [];
		const stop = subscribe((e) => events.push(e));
		try {
			const { token, session } = await createSession(database.db, policy, admin.userId, admin.organizationId);
			await invalidateSession(database.db, session.id);
			expect(await validateSessionToken(database.db, policy, token)).toBeNull();
			expect(events).toContainEqual({ type: 'sessions.ended', sessionIds: [session.id] });
		} finally {
			stop();
		}
	});

	it('ends all of a person’s sessions but the one named', async () => {
		const admin = await signUpAdmin(database.db);
		const keep = await createSession(database.db, policy, admin.userId, null);
		const a = await createSession(database.db, policy, admin.userId, null);
		const b = await createSession(database.db, policy, admin.userId, null);
		await invalidateUserSessions(database.db, admin.userId, keep.session.id);
		expect(await validateSessionToken(database.db, policy, keep.token)).not.toBeNull();
		expect(await validateSessionToken(database.db, policy, a.token)).toBeNull();
		expect(await validateSessionToken(database.db, policy, b.token)).toBeNull();
	});

	it('authenticate() puts the person in their organization with their roles', async () => {
		const admin = await signUpAdmin(database.db);
		const { token } = await createSession(database.db, policy, admin.userId, null);
		const auth = await authenticate(database.db, policy, token);
		expect(auth?.organization?.id).toBe(admin.organizationId);
		expect(auth?.actor).toEqual({ userId: admin.userId, organizationId: admin.organizationId, roles: ['admin'] });
		expect(await authenticate(database.db, policy, undefined)).toBeNull();
	});
});
