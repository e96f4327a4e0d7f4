// The JavaScript a browser loads to show a page, gzipped, from the last `vite build`:
// SvelteKit's entry chunks plus the page's layout and page nodes and everything they
// import statically. Lazily imported chunks are left out: the page does not wait for them.
//   npm run bench:bundle [-- --reference bench-results/bundle-before.json]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { report } from './report.ts';

const OUTPUT = '.svelte-kit/output/client';
const GENERATED = '.svelte-kit/generated/client-optimized';

interface Chunk {
	file: string;
	imports?: string[];
	isEntry?: boolean;
}
const manifest = JSON.parse(readFileSync(path.join(OUTPUT, '.vite/manifest.json'), 'utf8')) as Record<string, Chunk>;
const app = readFileSync(path.join(GENERATED, 'app.js'), 'utf8');

/** Route id → its node numbers (root layout 0, the layouts, the page), from the generated dictionary. */
function nodesOf(route: string): number[] {
	const line = app.split('\n').find((l) => l.includes(`"${route}":`));
	if (!line) throw new Error(`No route ${route} in ${GENERATED}/app.js`);
	const [, page, layouts] = /\[~?(\d+)(?:,\[([^\]]*)\])?/.exec(line.split(':').slice(1).join(':'))!;
	const layoutNodes = (layouts ?? '').split(',').filter(Boolean).map((n) => Number(n.replace('~', '')));
	return [0, ...layoutNodes, Number(page)];
}

function gzippedBytes(keys: string[]): number {
	const seen = new Set<string>();
	const visit = (key: string) => {
		if (seen.has(key)) return;
		seen.add(key);
		for (const next of manifest[key]?.imports ?? []) visit(next);
	};
	keys.forEach(visit);
	let total = 0;
	for (const key of seen) total += gzipSync(readFileSync(path.join(OUTPUT, manifest[key]!.file))).length;
	return total;
}

const entries = Object.keys(manifest).filter((k) => k.endsWith('entry.js') || k.endsWith(`${GENERATED}/app.js`));
const routes: Record<string, string> = {
	'war room': '/(app)/incidents/[id]',
	'statement page': '/(app)/incidents/[id]/statements/[statementId]',
	'crises list': '/(app)',
	'log-in page': '/(auth)/login'
};
const figures: Record<string, number> = {};
const units: Record<string, string> = {};
for (const [name, route] of Object.entries(routes)) {
	const nodes = nodesOf(route).map((n) => `${GENERATED}/nodes/${n}.js`);
	figures[`${name} JS gzip`] = gzippedBytes([...entries, ...nodes]) / 1024;
	units[`${name} JS gzip`] = 'KB';
}
report('bundle', figures, units);
