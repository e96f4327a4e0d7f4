// Shared by the benchmarks: command-line flags, a JSON result file, and the comparison
// with a reference result (a previous run, or another machine's).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';

export function flag(name: string, fallback: string): string {
	const args = process.argv.slice(2);
	const i = args.indexOf(`--${name}`);
	return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
}

export function percentile(sorted: number[], p: number): number {
	if (!sorted.length) return NaN;
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export interface BenchResult {
	benchmark: string;
	date: string;
	machine: { cpus: string; cores: number; node: string };
	figures: Record<string, number>;
}

/** Prints the figures (and ratios to the reference when given), then writes the JSON result. */
export function report(benchmark: string, figures: Record<string, number>, units: Record<string, string>): void {
	const result: BenchResult = {
		benchmark,
		date: new Date().toISOString(),
		machine: { cpus: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, node: process.version },
		figures
	};
	const referenceFile = flag('reference', '');
	const reference = referenceFile ? (JSON.parse(readFileSync(referenceFile, 'utf8')) as BenchResult) : null;
	console.log(`\n${benchmark} — ${result.machine.cpus}, ${result.machine.cores} cores, Node ${result.machine.node}`);
	for (const [name, value] of Object.entries(figures)) {
		const ref = reference?.figures[name];
		const ratio = ref ? `  (${(value / ref).toFixed(2)}× the reference ${ref.toFixed(2)})` : '';
		console.log(`  ${name.padEnd(28)} ${value.toFixed(2).padStart(10)} ${units[name] ?? ''}${ratio}`);
	}
	const out = flag('out', path.join('bench-results', `${benchmark}.json`));
	mkdirSync(path.dirname(out), { recursive: true });
	writeFileSync(out, JSON.stringify(result, null, 2));
	console.log(`\nWritten to ${out}${reference ? '' : ' (compare a later run with --reference ' + out + ')'}`);
}
