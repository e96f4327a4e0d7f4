// Log-in throttling, stored in the database so that every server process agrees.
// Failures are counted per account and per address in a fixed window; past the limit the
// key is blocked for a while. Only failures count, so a person who types their password
// right is never slowed down by a crowd of colleagues behind the same address.
import { eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../db/index.ts';
import { loginThrottles } from '../db/schema/index.ts';

interface Rule {
	limit: number;
	windowMs: number;
	blockMs: number;
}

const MINUTE = 60_000;
export const THROTTLE_RULES = {
	account: { limit: 5, windowMs: 15 * MINUTE, blockMs: 15 * MINUTE },
	address: { limit: 50, windowMs: 15 * MINUTE, blockMs: 15 * MINUTE }
} satisfies Record<string, Rule>;

export function throttleKeys(email: string, address: string) {
	return { account: `account:${email}`, address: `address:${address}` };
}

/** When the attempt may not even be checked: the time the block ends, else null. */
export async function blockedUntil(
	db: Executor,
	keys: string[],
	now = new Date()
): Promise<Date | null> {
	const rows = await db
		.select({ blockedUntil: loginThrottles.blockedUntil })
		.from(loginThrottles)
		.where(inArray(loginThrottles.key, keys));
	const ends = rows
		.map((r) => r.blockedUntil)
		.filter((d): d is Date => d !== null && d > now)
		.map((d) => d.getTime());
	return ends.length ? new Date(Math.max(...ends)) : null;
}

export async function recordFailure(
	db: Executor,
	key: string,
	rule: Rule,
	now = new Date()
): Promise<void> {
	const windowStart = new Date(now.getTime() - rule.windowMs);
	const blockEnd = new Date(now.getTime() + rule.blockMs);
	const fresh = sql`${loginThrottles.windowStartedAt} < ${windowStart.toISOString()}::timestamptz`;
	// One statement, so that concurrent failures cannot lose a count.
	await db
		.insert(loginThrottles)
		.values({
			key,
			failures: 1,
			windowStartedAt: now,
			blockedUntil: rule.limit <= 1 ? blockEnd : null
		})
		.onConflictDoUpdate({
			target: loginThrottles.key,
			set: {
				failures: sql`CASE WHEN ${fresh} THEN 1 ELSE ${loginThrottles.failures} + 1 END`,
				windowStartedAt: sql`CASE WHEN ${fresh} THEN ${now.toISOString()}::timestamptz ELSE ${loginThrottles.windowStartedAt} END`,
				blockedUntil: sql`CASE WHEN NOT ${fresh} AND ${loginThrottles.failures} + 1 >= ${rule.limit} THEN ${blockEnd.toISOString()}::timestamptz ELSE ${loginThrottles.blockedUntil} END`
			}
		});
}

export async function clearFailures(db: Executor, key: string): Promise<void> {
	await db.delete(loginThrottles).where(eq(loginThrottles.key, key));
}
