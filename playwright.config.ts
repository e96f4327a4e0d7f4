import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';

// The browser: CHROMIUM_PATH, else Debian's Chromium, else Playwright's own download.
function chromiumPath(): string | undefined {
	const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].filter(Boolean) as string[];
	const found = candidates.find((candidate) => existsSync(candidate));
	if (process.env.CHROMIUM_PATH && found !== process.env.CHROMIUM_PATH) {
		throw new Error(`CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist.`);
	}
	return found;
}

const executablePath = chromiumPath();
const port = Number(process.env.E2E_PORT ?? 4173);
// The main process starts the server once; workers re-read this file, so the folder is
// created only when the server is to be started.
const dataDir = process.env.HOLDLINE_E2E_DATA ?? mkdtempSync(path.join(tmpdir(), 'holdline-e2e-'));
process.env.HOLDLINE_E2E_DATA = dataDir;

export default defineConfig({
	testDir: 'tests/e2e',
	fullyParallel: false,
	workers: 2,
	forbidOnly: true,
	retries: 0,
	timeout: 30_000,
	expect: { timeout: 5_000 },
	reporter: process.env.CI ? 'line' : 'list',
	use: {
		baseURL: `http://localhost:${port}`,
		trace: 'retain-on-failure',
		launchOptions: {
			executablePath,
			args: [
				'--no-sandbox',
				'--headless',
				'--disable-gpu',
				'--disable-quic',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
				'--no-first-run'
			]
		}
	},
	projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'] } }],
	webServer: {
		command: 'node --import tsx server/index.ts',
		url: `http://localhost:${port}/healthz`,
		timeout: 60_000,
		reuseExistingServer: false,
		stdout: 'pipe',
		env: {
			PORT: String(port),
			NODE_ENV: 'production',
			HOLDLINE_DATA_DIR: dataDir,
			HOLDLINE_SEED_DEMO: '1',
			// The webhook test's receiver listens on 127.0.0.1.
			HOLDLINE_WEBHOOKS_ALLOW_PRIVATE: '1',
			DATABASE_URL: ''
		}
	}
});
