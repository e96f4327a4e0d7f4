import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig, type Plugin } from 'vite';
import { BASE_LOCALE, LOCALES, PARAGLIDE } from './paraglide.config.ts';
import { compactMessages } from './scripts/compact-messages.ts';

// `npm run dev`: the same runtime and realtime module as the production entry, attached
// to Vite's own HTTP server.
function holdlineRealtime(): Plugin {
	return {
		name: 'holdline-realtime',
		apply: 'serve',
		async configureServer(server) {
			if (!server.httpServer) return;
			const { startRuntime, runtime } = await import('./src/lib/server/runtime.ts');
			const { attachRealtime } = await import('./src/lib/server/realtime/index.ts');
			// An empty embedded database gets the demo data, as with `npm run demo`.
			const { readConfig } = await import('./src/lib/server/config.ts');
			const config = readConfig();
			await startRuntime({ ...config, seedDemo: config.seedDemo || !config.databaseUrl });
			attachRealtime(server.httpServer as import('node:http').Server, runtime);
		}
	};
}

export default defineConfig({
	plugins: [
		// Compiles messages/ into typed, tree-shakable message functions under src/lib/paraglide.
		paraglideVitePlugin(PARAGLIDE),
		// The browser's build: each message's locale switch written once (scripts/compact-messages.ts).
		compactMessages(LOCALES, BASE_LOCALE),
		sveltekit(),
		holdlineRealtime()
	]
});
