// Whether the production build (build/) is older than anything it is built from. `npm ci`
// builds (the `prepare` script), so that `npm start` works on a fresh clone; the demo and
// the test command build again only when a source changed since, not a second time.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
/** What the build reads. The compiled catalogue (src/lib/paraglide) is left out: `npm run messages` rewrites it from messages/ each time. */
const INPUTS = ['src', 'static', 'messages', 'svelte.config.js', 'vite.config.ts', 'package-lock.json'];
const DERIVED = new Set([path.join(ROOT, 'src/lib/paraglide')]);

function newest(target: string): number {
	if (DERIVED.has(target)) return 0;
	const stat = statSync(target, { throwIfNoEntry: false });
	if (!stat) return 0;
	if (!stat.isDirectory()) return stat.mtimeMs;
	return Math.max(0, ...readdirSync(target).map((entry) => newest(path.join(target, entry))));
}

export function buildIsStale(): boolean {
	const built = newest(path.join(ROOT, 'build/handler.js'));
	return built === 0 || built < Math.max(...INPUTS.map((input) => newest(path.join(ROOT, input))));
}
