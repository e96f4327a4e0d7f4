// `npm run bench:playbooks [--count 500] [--rounds 20] [--reference file.json]`:
// parses and validates N playbooks (the shipped ones, each made unique) and prints how long
// the whole batch takes. Goal: 500 playbooks in under 250 ms.
import { findPlaybookFiles } from '../../src/lib/server/playbooks/files.ts';
import { parsePlaybook } from '../../src/lib/server/playbooks/parse.ts';
import { readFileSync } from 'node:fs';
import { flag, percentile, report } from './report.ts';

const count = Number(flag('count', '500'));
const rounds = Number(flag('rounds', '20'));
const shipped = findPlaybookFiles(['playbooks']).map((file) => readFileSync(file, 'utf8'));
const sources = Array.from({ length: count }, (_, i) => {
	const source = shipped[i % shipped.length]!;
	return source.replace(/^id: (.*)$/m, `id: $1-${i}`);
});

function batch(): number {
	const start = performance.now();
	for (const source of sources) {
		const result = parsePlaybook(source);
		if (!result.ok) throw new Error(`a shipped playbook failed: ${result.issues[0]?.message}`);
	}
	return performance.now() - start;
}

// The first batch is what a server start-up or a CI lint run pays; then warm figures.
const cold = batch();
for (let i = 0; i < 2; i++) batch();
const times = Array.from({ length: rounds }, batch).sort((a, b) => a - b);
const totalBytes = sources.reduce((n, s) => n + s.length, 0);

report(
	'playbooks',
	{
		batch_cold_ms: cold,
		batch_median_ms: percentile(times, 50),
		batch_p95_ms: percentile(times, 95),
		per_playbook_us: (percentile(times, 50) * 1000) / count,
		mb_per_s: totalBytes / 1e6 / (percentile(times, 50) / 1000)
	},
	{ batch_cold_ms: `ms for ${count} (first run)`, batch_median_ms: `ms for ${count}`, batch_p95_ms: `ms for ${count}`, per_playbook_us: 'µs', mb_per_s: 'MB/s' }
);
