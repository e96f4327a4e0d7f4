import type { LayoutServerLoad } from './$types';

// Every page, signed in or not, knows the language and the clock it is shown in.
export const load: LayoutServerLoad = ({ locals }) => ({ language: locals.language, timeZone: locals.timeZone });
