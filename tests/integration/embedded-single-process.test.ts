// The embedded database (PGlite) serves one process: a second process on the same folder
// would open it silently and each would overwrite the other's files. It refuses to start.
import { describe, expect, it } from 'vitest';
import { startServer, temporaryDataDir } from '../helpers/server.ts';

describe('the embedded database folder', () => {
	it('a second process on the same embedded database folder refuses to start, saying why', { timeout: 60_000 }, async () => {
		const dataDir = temporaryDataDir();
		const first = await startServer({ HOLDLINE_DATA_DIR: dataDir });
		try {
			await expect(startServer({ HOLDLINE_DATA_DIR: dataDir })).rejects.toThrow(/in use by another Holdline process \(pid \d+\)/);
			// The first one still serves.
			expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
		} finally {
			first.process.kill('SIGTERM');
			await first.exited;
		}
		// Once it stopped, the folder can be opened again.
		const again = await startServer({ HOLDLINE_DATA_DIR: dataDir });
		again.process.kill('SIGKILL');
		await again.exited;
		// And after a SIGKILL too: the lock of a dead process is taken over.
		const afterKill = await startServer({ HOLDLINE_DATA_DIR: dataDir });
		afterKill.process.kill('SIGTERM');
		await afterKill.exited;
	});
});
