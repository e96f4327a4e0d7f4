// A nudge survives a crash (issue 16): the real server process, on PostgreSQL, is killed
// with SIGKILL; a first-statement deadline passes while it is down; the restarted server
// sends the missed-deadline warning once, marked late. PostgreSQL only: the test works on
// the server's database from its own process.
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/lib/server/db/index.ts';
import { readTimeline } from '../../src/lib/server/incidents/timeline.ts';
import { createPostgresDatabase } from '../helpers/database.ts';
import { declare, team } from '../helpers/incidents.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const MINUTE = 60_000;

/** Resolves once `condition` holds, checking every 50 ms; fails with `what` after 20 s. */
async function until(what: string, condition: () => Promise<boolean>): Promise<void> {
	const deadline = Date.now() + 20_000;
	while (!(await condition())) {
		if (Date.now() > deadline) throw new Error(`Still waiting for ${what}.`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

describe.runIf(process.env.TEST_DATABASE_URL)('nudges when the server is killed', () => {
	it('sends the reminder that fell due while it was down once after the restart, marked late', { timeout: 120_000 }, async () => {
		const database = await createPostgresDatabase(process.env.TEST_DATABASE_URL!);
		const env = { DATABASE_URL: database.url, HOLDLINE_JOB_LEASE_SECONDS: '2' };
		let server: RunningServer | undefined = await startServer(env);
		const observer = await openDatabase({ databaseUrl: database.url });
		try {
			const people = await team(observer.db);
			server.process.kill('SIGKILL');
			await server.exited;
			server = undefined;
			// While the server is down, a crisis is declared whose first-statement deadline
			// (60 min) passed 5 s ago: its nudge check is due, and late.
			const incidentId = await declare(observer.db, people.cm, new Date(Date.now() - 60 * MINUTE - 5_000));
			const nudges = async () => (await readTimeline(observer.db, incidentId)).flatMap((e) => (e.type === 'nudge.sent' ? [e.data] : []));
			expect(await nudges()).toEqual([]);

			server = await startServer(env);
			await until('the missed-deadline warning', async () => (await nudges()).some((n) => n.kind === 'first_statement.missed'));
			const sent = await nudges();
			const missed = sent.filter((n) => n.kind === 'first_statement.missed');
			expect(missed).toHaveLength(1);
			expect(missed[0]!.late).toBe(true);
			// The warning that the deadline was near is not sent after it.
			expect(sent.map((n) => n.kind)).not.toContain('first_statement.soon');
			expect(new Set(sent.map((n) => n.key)).size).toBe(sent.length);
		} finally {
			if (server) {
				server.process.kill('SIGKILL');
				await server.exited;
			}
			await observer.close();
			await database.drop();
		}
	});
});
