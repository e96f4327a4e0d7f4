// `npm run messages` (run by check, build, dev and prepare): compiles the message catalogue
// into src/lib/paraglide before anything loads it (vite.config.ts bundles server modules
// that import it, so Vite itself cannot be the first to compile it), then refuses a
// catalogue where a message exists in one language only, is empty, or where the two
// languages do not take the same inputs. A key missing from both fails svelte-check,
// because the compiled `m` has no such function.
import { compile } from '@inlang/paraglide-js';
import { PARAGLIDE } from '../paraglide.config.ts';
import { catalogueProblems } from './catalogue.ts';

const problems = catalogueProblems();
if (problems.length) {
	console.error(`The message catalogue has ${problems.length} problem(s):\n${problems.map((p) => `  ${p}`).join('\n')}`);
	process.exit(1);
}
await compile(PARAGLIDE);
