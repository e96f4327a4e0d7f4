import { defineConfig } from 'vitest/config';

export default defineConfig({
	test: {
		// Vitest's default is one worker per core but one: a single worker on CI's two cores. The
		// integration files mostly wait on child processes, sockets and databases: three workers
		// took the whole run from 502 to 386 s there, every test passing.
		maxWorkers: 3,
		projects: [
			{ test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' } },
			{
				test: {
					name: 'integration',
					include: ['tests/integration/**/*.test.ts'],
					environment: 'node',
					// PGlite boots in seconds and argon2 is deliberately slow.
					testTimeout: 30_000,
					hookTimeout: 60_000
				}
			}
		]
	}
});
