// The layout's two rules, checked on the source: browser code (components, client modules,
// pages) imports nothing from src/lib/server, not even a type; and src/lib has no import
// circle (each one is a design knot: two modules that cannot be understood apart).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const LIB = path.join(ROOT, 'src/lib');

function filesUnder(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const file = path.join(dir, name);
		return statSync(file).isDirectory() ? filesUnder(file) : /\.(ts|svelte)$/.test(name) ? [file] : [];
	});
}

/** The modules a file imports (static imports and re-exports), resolved to files under src/lib. */
function importsOf(file: string, known: Set<string>): string[] {
	const source = readFileSync(file, 'utf8');
	return [...source.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/g)].flatMap(([, spec]) => {
		const base = spec!.startsWith('$lib/') ? path.join(LIB, spec!.slice(5)) : spec!.startsWith('.') ? path.resolve(path.dirname(file), spec!) : null;
		if (!base) return [];
		const found = [base, `${base}.ts`, `${base}.svelte`, path.join(base, 'index.ts')].find((candidate) => known.has(candidate));
		return found ? [found] : [];
	});
}

const rel = (file: string) => path.relative(ROOT, file);

describe('the layout', () => {
	it('browser code never imports server code', () => {
		const browser = [
			...filesUnder(path.join(LIB, 'components')),
			...filesUnder(path.join(LIB, 'client')),
			...filesUnder(path.join(LIB, 'shared')),
			...filesUnder(path.join(ROOT, 'src/routes')).filter((f) => f.endsWith('.svelte'))
		];
		const offenders = browser.filter((file) => /from\s+['"](\$lib\/server|[./]+(\.\.\/)*server\/)/.test(readFileSync(file, 'utf8')));
		expect(offenders.map(rel)).toEqual([]);
	});

	it('src/lib has no import circle', () => {
		const files = filesUnder(LIB);
		const known = new Set(files);
		const graph = new Map(files.map((file) => [file, importsOf(file, known)]));
		const cycles: string[] = [];
		const state = new Map<string, 'visiting' | 'done'>();
		const stack: string[] = [];
		const visit = (file: string) => {
			state.set(file, 'visiting');
			stack.push(file);
			for (const next of graph.get(file) ?? []) {
				if (state.get(next) === 'visiting') cycles.push(stack.slice(stack.indexOf(next)).map(rel).join(' → '));
				else if (!state.has(next)) visit(next);
			}
			stack.pop();
			state.set(file, 'done');
		};
		for (const file of files) if (!state.has(file)) visit(file);
		// An area's schema file (schema/<area>.ts) references the core tables and is re-exported by
		// schema/index.ts: drizzle's references are lazy callbacks, so that pair is no circle at load.
		const schemaPair = /^src\/lib\/server\/db\/schema\/index\.ts → src\/lib\/server\/db\/schema\/[\w-]+\.ts$/;
		expect(cycles.filter((c) => !schemaPair.test(c))).toEqual([]);
		// The walk sees the imports at all (a broken pattern would pass vacuously).
		expect(graph.get(path.join(LIB, 'server/realtime/index.ts'))).toContain(path.join(LIB, 'server/realtime/statements.ts'));
	});
});
