// Ids are UUIDs. Anything else is refused before it reaches a query: PostgreSQL answers a
// malformed uuid (36 dashes, say) with an error, which would surface as a 500.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
	return typeof value === 'string' && UUID.test(value);
}

/** Playbook ids and organization slugs: lowercase words joined by dashes. */
export function isSlug(value: string): boolean {
	return /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(value);
}
