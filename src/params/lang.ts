import type { ParamMatcher } from '@sveltejs/kit';
import { LANGUAGES } from '$lib/shared/roles';

export const match: ParamMatcher = (param) => (LANGUAGES as readonly string[]).includes(param);
