// `npm run demo`: Holdline on the embedded database with the demo organizations, from a
// fresh clone. Builds the app first when the build is missing or older than the sources.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { readConfig } from '../src/lib/server/config.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../src/lib/server/demo/seed.ts';
import { closeOnSignals, start } from './index.ts';

function newest(target: string): number {
	const stat = statSync(target, { throwIfNoEntry: false });
	if (!stat) return 0;
	if (!stat.isDirectory()) return stat.mtimeMs;
	return Math.max(0, ...readdirSync(target).map((entry) => newest(path.join(target, entry))));
}

const built = newest('build/handler.js');
if (built < Math.max(newest('src'), newest('static'), newest('messages'), newest('svelte.config.js'), newest('vite.config.ts'))) {
	console.log('Building Holdline (first run only)…');
	const result = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
	if (result.status !== 0) process.exit(result.status ?? 1);
}

if (process.env.DATABASE_URL) {
	console.log('The demo always runs on the embedded database; DATABASE_URL is ignored here.');
}
const config = { ...readConfig({ ...process.env, DATABASE_URL: '' }), seedDemo: true };
const holdline = await start(config);
closeOnSignals(holdline);
console.log(`\nOpen ${holdline.url} and log in with any of these (password "${DEMO_PASSWORD}"):`);
for (const account of DEMO_ACCOUNTS) {
	console.log(`  ${account.email.padEnd(20)} ${account.org.padEnd(7)} ${account.roles.join(', ')}`);
}
