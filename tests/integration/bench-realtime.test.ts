// `npm run bench:realtime` is a script, not a test: its figures are judged by people. This
// only checks, at a tiny size, that it still runs against both servers end to end — its
// clients still speak both protocols, every client converges, nothing is lost — so that
// the benchmark cannot rot between the runs that BENCHMARKS.md reports.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchResult } from '../bench/report.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

function runBenchmark(args: string[]): Promise<{ code: number | null; output: string }> {
	const child = spawn(process.execPath, ['--import', 'tsx', 'tests/bench/realtime.ts', ...args], {
		cwd: ROOT,
		env: { ...process.env, DATABASE_URL: '' },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout.on('data', (chunk) => (output += chunk));
	child.stderr.on('data', (chunk) => (output += chunk));
	return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

describe('npm run bench:realtime', () => {
	it('runs both targets at a tiny size: every client converges, nothing is lost, both are measured', async () => {
		const out = path.join(mkdtempSync(path.join(tmpdir(), 'holdline-bench-')), 'realtime.json');
		const { code, output } = await runBenchmark(['--editors', '2', '--observers', '12', '--sampled', '4', '--rate', '5', '--seconds', '2', '--warmup', '1', '--out', out]);
		expect(code, output).toBe(0);
		expect(output).toContain('▶ holdline');
		expect(output).toContain('▶ y-websocket');
		const { figures } = JSON.parse(readFileSync(out, 'utf8')) as BenchResult;
		for (const target of ['holdline', 'y_websocket']) {
			expect(figures[`${target}_converged`], target).toBe(1);
			expect(figures[`${target}_lost`], target).toBe(0);
			expect(figures[`${target}_p99_ms`], target).toBeGreaterThan(0);
			expect(figures[`${target}_cpu_us_per_update`], target).toBeGreaterThan(0);
			expect(Number.isFinite(figures[`${target}_heap_kib_per_conn`]), target).toBe(true);
			expect(figures[`${target}_generator_loop_p99_ms`], target).toBeGreaterThan(0);
		}
		expect(figures.ratio_cpu_per_update).toBeGreaterThan(0);
	}, 120_000);
});
