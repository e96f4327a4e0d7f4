import type { ParamMatcher } from '@sveltejs/kit';
import { isSlug } from '$lib/shared/ids';

/** A playbook id: anything else (a NUL, a stray byte) is "not found" before it reaches a query. */
export const match: ParamMatcher = isSlug;
