// `npm run demo`: Holdline on the embedded database with the demo organizations, from a
// fresh clone. Builds the app first when the build is missing or older than the sources.
// It speaks the terminal's language: French when LC_ALL (else LC_MESSAGES, else LANG)
// starts with "fr", English otherwise.
import { spawnSync } from 'node:child_process';
import { buildIsStale } from './build-state.ts';
import { withGarbageCollectorFlags } from './garbage-collector.ts';

await withGarbageCollectorFlags();

const language = /^fr/i.test(process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG || '') ? 'fr' : 'en';

// The build compiles the message catalogue too: everything that reads it is imported after.
if (buildIsStale()) {
	console.log(await inTerminalLanguage((m) => m.demo_building()).catch(() => 'Building Holdline (first run only)…'));
	const result = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
	if (result.status !== 0) process.exit(result.status ?? 1);
}

type Messages = typeof import('../src/lib/paraglide/messages.js').m;

async function inTerminalLanguage<T>(work: (m: Messages) => T): Promise<T> {
	const [{ m }, { inLanguage }] = await Promise.all([import('../src/lib/paraglide/messages.js'), import('../src/lib/server/i18n.ts')]);
	return inLanguage(language, () => work(m));
}

const { readConfig } = await import('../src/lib/server/config.ts');
const { DEMO_ACCOUNTS, DEMO_ORGANIZATIONS, DEMO_PASSWORD } = await import('../src/lib/server/demo/seed.ts');
const { roleLabel } = await import('../src/lib/shared/roles.ts');
const { run } = await import('./index.ts');

if (process.env.DATABASE_URL) console.log(await inTerminalLanguage((m) => m.demo_database_url_ignored()));
const config = { ...readConfig({ ...process.env, DATABASE_URL: '' }), seedDemo: true };
const holdline = await run(config);
console.log(
	await inTerminalLanguage((m) => {
		const width = Math.max(...DEMO_ACCOUNTS.map((a) => a.email.length)) + 2;
		const lines = ['', m.demo_open({ url: holdline.url, password: DEMO_PASSWORD })];
		for (const org of DEMO_ORGANIZATIONS) {
			const spoken = org.language === 'fr' ? m.demo_language_fr() : m.demo_language_en();
			lines.push('', `  ${m.demo_organization({ organization: org.name, language: spoken, timeZone: org.timeZone })}`);
			for (const account of DEMO_ACCOUNTS.filter((a) => a.org === org.slug)) {
				lines.push(`    ${account.email.padEnd(width)}${account.displayName.padEnd(20)}${account.roles.map(roleLabel).join(', ')}`);
			}
		}
		return lines.join('\n');
	})
);
