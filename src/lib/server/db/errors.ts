/** PostgreSQL's unique_violation, as raised by postgres.js and PGlite (possibly wrapped by drizzle). */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
	for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
		const { code, constraint: name, constraint_name } = e as Record<string, unknown>;
		if (code === '23505') return !constraint || (name ?? constraint_name) === constraint;
	}
	return false;
}
