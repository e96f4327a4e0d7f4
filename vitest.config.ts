import { defineConfig } from 'vitest/config';

export default defineConfig({
	test: {
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
