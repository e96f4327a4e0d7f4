import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Y from 'yjs';
import { eq, sql } from 'drizzle-orm';
import { sha256Hex } from '../../src/lib/server/hash.ts';
import type { DatabaseHandle } from '../../src/lib/server/db/index.ts';
import { organizations, releases, statementUpdates, statementVersions } from '../../src/lib/server/db/schema/index.ts';
import { declareIncident } from '../../src/lib/server/incidents/declare-incident.ts';
import { defaultApprovalChain, setDefaultApprovalChain } from '../../src/lib/server/organizations/approval-chain.ts';
import { DomainError } from '../../src/lib/server/errors.ts';
import { readTimeline } from '../../src/lib/server/incidents/timeline.ts';
import { decide } from '../../src/lib/server/statements/decide-step.ts';
import { release } from '../../src/lib/server/statements/release-version.ts';
import { submitForApproval } from '../../src/lib/server/statements/submit-for-approval.ts';
import { listVersions, waitingForMe } from '../../src/lib/server/statements/versions.ts';
import { createStatement, DRAFT } from '../../src/lib/server/statements/statements.ts';
import { addVariant, removeVariant } from '../../src/lib/server/statements/pack-variants.ts';
import { withdrawRelease } from '../../src/lib/server/statements/withdraw-release.ts';
import { packHashInput } from '../../src/lib/shared/packs.ts';
import type { Channel } from '../../src/lib/shared/channels.ts';
import type { Actor } from '../../src/lib/server/policy.ts';
import { testDatabases } from '../helpers/database.ts';
import { expectCode, signUpAdmin } from '../helpers/fixtures.ts';
import { addMember, builtInPlaybook, declare, team, type Team } from '../helpers/incidents.ts';


let counter = 0;
/** Edits the draft the way the realtime layer does: a Yjs update appended to the table. */
async function edit(database: DatabaseHandle, statementId: string, change: (text: Y.Text) => void, name = DRAFT): Promise<void> {
	const doc = new Y.Doc();
	const rows = await database.db.select({ update: statementUpdates.update }).from(statementUpdates).where(eq(statementUpdates.statementId, statementId));
	Y.applyUpdate(doc, Y.mergeUpdates(rows.map((r) => r.update)));
	const before = Y.encodeStateVector(doc);
	change(doc.getText(name));
	await database.db.insert(statementUpdates).values({ statementId, key: `test:${++counter}`, update: Y.encodeStateAsUpdate(doc, before) });
}

describe.each(testDatabases)('approvals and release on $name', ({ open }) => {
	let database: DatabaseHandle;
	let people: Team;
	let exec2: Actor;
	beforeAll(async () => {
		database = await open();
		people = await team(database.db);
		exec2 = await addMember(database.db, people.admin, ['executive'], 'Erin');
	});
	afterAll(() => database.close());

	async function draft(variantChannels: Channel[] = []): Promise<{ incidentId: string; statementId: string }> {
		const incidentId = await declare(database.db, people.cm);
		const statementId = await createStatement(database.db, people.cm, { incidentId, templateId: 'first-response', variantChannels });
		return { incidentId, statementId };
	}
	const current = async (statementId: string) => (await listVersions(database.db, statementId))[0]!;

	it('submits a draft holding a NUL (stored before updates were checked) as its visible text', async () => {
		const { statementId } = await draft();
		await edit(database, statementId, (t) => t.insert(0, 'Nous\u0000 enquêtons. '));
		await submitForApproval(database.db, people.cm, statementId);
		const v1 = await current(statementId);
		expect(v1.text.startsWith('Nous enquêtons. ')).toBe(true);
		expect(v1.sha256).toBe(sha256Hex(v1.text));
		// Out of the way of the next tests' "waiting for me" lists.
		await decide(database.db, people.legal, { statementId, versionId: v1.id, step: 0, decision: 'rejected', comment: 'Test done' });
	});

	it('submits, approves in order (legal, then executive), releases the exact approved text', async () => {
		const { incidentId, statementId } = await draft();
		await addVariant(database.db, people.cm, { statementId, channel: 'website' });
		await edit(database, statementId, (t) => t.insert(0, 'Cafe\u0301 — '));
		// A variant added later starts empty (the browser that adds it copies the lead's text).
		await expectCode(submitForApproval(database.db, people.cm, statementId), 'VALIDATION_FAILED');
		await edit(database, statementId, (t) => t.insert(0, 'Site: cafe\u0301.'), 'variant:website');
		expect(await submitForApproval(database.db, people.cm, statementId)).toBe(1);
		const v1 = await current(statementId);
		expect(v1.text.startsWith('Café — ')).toBe(true); // normalized to NFC
		expect(v1.variants.map((v) => v.channel)).toEqual(['x', 'website']);
		expect(v1.variants[1]!.text).toBe('Site: café.');
		expect(v1.sha256).toBe(sha256Hex(JSON.stringify(v1.variants.map((v) => [v.channel, v.text]))));
		expect(v1.chain).toEqual(['legal', 'executive']);
		expect((await waitingForMe(database.db, people.legal)).map((w) => w.versionId)).toEqual([v1.id]);
		expect(await waitingForMe(database.db, people.exec)).toEqual([]);

		await expectCode(release(database.db, people.cm, { statementId, versionId: v1.id, channels: ['x'] }), 'NOT_APPROVED');
		await expectCode(decide(database.db, people.exec, { statementId, versionId: v1.id, step: 0, decision: 'approved' }), 'NOT_STEP_ROLE');
		await decide(database.db, people.legal, { statementId, versionId: v1.id, step: 0, decision: 'approved' });
		expect((await waitingForMe(database.db, people.exec)).map((w) => w.step)).toEqual([1]);
		await decide(database.db, people.exec, { statementId, versionId: v1.id, step: 1, decision: 'approved' });
		expect((await current(statementId)).status).toBe('approved');

		await release(database.db, people.cm, { statementId, versionId: v1.id, channels: ['x', 'website'] });
		const out = await database.db.select().from(releases).where(eq(releases.statementId, statementId));
		expect(out.map((r) => r.channel).sort()).toEqual(['website', 'x']);
		for (const r of out) {
			const variant = v1.variants.find((v) => v.channel === r.channel)!;
			expect([r.text, r.sha256, r.breakGlassReason]).toEqual([variant.text, sha256Hex(variant.text), null]);
		}
		await expectCode(release(database.db, people.cm, { statementId, versionId: v1.id, channels: ['linkedin'] }), 'VALIDATION_FAILED');
		await expectCode(release(database.db, people.cm, { statementId, versionId: v1.id, channels: ['x'] }), 'ALREADY_RELEASED');
		const types = (await readTimeline(database.db, incidentId)).map((e) => e.type);
		expect(types.slice(-4)).toEqual(['statement.submitted', 'statement.approved', 'statement.approved', 'statement.released']);
	});

	it('a playbook without approvals takes the organization’s default chain, frozen at declaration; only an admin sets it', async () => {
		const { admin, cm } = people;
		const playbook = { ...builtInPlaybook().playbook, approvals: undefined };
		const declareWithoutChain = async () => {
			const { incidentId } = await declareIncident(database.db, cm, { ...builtInPlaybook(), playbook }, {
				title: 'No chain in the playbook',
				severity: 2,
				drill: false,
				variables: { topic: 'pricing', platform: 'X' }
			});
			return createStatement(database.db, cm, { incidentId, templateId: 'first-response' });
		};
		const before = await declareWithoutChain();
		await submitForApproval(database.db, cm, before);
		expect((await current(before)).chain).toEqual(['legal', 'executive']);
		const elsewhere = await signUpAdmin(database.db);

		// Bad input and the wrong person change nothing.
		await expectCode(setDefaultApprovalChain(database.db, cm, ['executive']), 'FORBIDDEN');
		for (const bad of [[], ['legal', 'legal'], ['staff'], ['executive', 'boss']]) {
			await expectCode(setDefaultApprovalChain(database.db, admin, bad), 'VALIDATION_FAILED');
		}
		await expect(
			database.db.update(organizations).set({ defaultApprovals: ['staff' as 'legal'] }).where(eq(organizations.id, admin.organizationId))
		).rejects.toThrow();
		expect(await defaultApprovalChain(database.db, admin.organizationId)).toEqual(['legal', 'executive']);

		expect(await setDefaultApprovalChain(database.db, admin, ['executive', 'cm'])).toEqual(['executive', 'cm']);
		// A crisis already under way keeps the chain it was declared with…
		await edit(database, before, (t) => t.insert(0, 'Update: '));
		await submitForApproval(database.db, cm, before);
		expect((await current(before)).chain).toEqual(['legal', 'executive']);
		// …a new one takes the new default; a playbook that names its chain keeps it.
		const after = await declareWithoutChain();
		await submitForApproval(database.db, cm, after);
		expect((await current(after)).chain).toEqual(['executive', 'cm']);
		const named = await draft();
		await submitForApproval(database.db, cm, named.statementId);
		expect((await current(named.statementId)).chain).toEqual(['legal', 'executive']);
		// Another organization keeps its own default.
		expect(await defaultApprovalChain(database.db, elsewhere.organizationId)).toEqual(['legal', 'executive']);
		await setDefaultApprovalChain(database.db, admin, ['legal', 'executive']);
	});

	it('the author cannot approve, a rejection needs a comment, and one person decides one step', async () => {
		const { statementId } = await draft();
		const both = await addMember(database.db, people.admin, ['legal', 'executive'], 'Both');
		await edit(database, statementId, (t) => t.insert(0, 'A. '));
		await submitForApproval(database.db, both, statementId);
		const v = await current(statementId);
		await expectCode(decide(database.db, both, { statementId, versionId: v.id, step: 0, decision: 'approved' }), 'OWN_VERSION');
		await expectCode(decide(database.db, people.legal, { statementId, versionId: v.id, step: 0, decision: 'rejected' }), 'VALIDATION_FAILED');
		await decide(database.db, people.legal, { statementId, versionId: v.id, step: 0, decision: 'rejected', comment: 'Too defensive.' });
		expect((await current(statementId)).status).toBe('rejected');
		await expectCode(decide(database.db, people.exec, { statementId, versionId: v.id, step: 1, decision: 'approved' }), 'VERSION_NOT_IN_REVIEW');

		// Back to drafting: submit again, and nobody may take two steps.
		const legalExec = await addMember(database.db, people.admin, ['legal', 'executive'], 'Two Hats');
		await edit(database, statementId, (t) => t.insert(0, 'B. '));
		await submitForApproval(database.db, people.cm, statementId);
		const v2 = await current(statementId);
		await decide(database.db, legalExec, { statementId, versionId: v2.id, step: 0, decision: 'approved' });
		await expectCode(decide(database.db, legalExec, { statementId, versionId: v2.id, step: 1, decision: 'approved' }), 'DECIDED_ANOTHER_STEP');
		// A step further down the chain is not the one waiting; the one already taken says who took it.
		await expectCode(decide(database.db, people.exec, { statementId, versionId: v2.id, step: 2, decision: 'approved' }), 'STEP_NOT_WAITING');
		await expectCode(decide(database.db, people.legal, { statementId, versionId: v2.id, step: 0, decision: 'approved' }), 'ALREADY_DECIDED');
	});

	it('two approvers deciding the same step at once give exactly one decision', async () => {
		const { statementId } = await draft();
		const legal2 = await addMember(database.db, people.admin, ['legal'], 'Lee');
		await submitForApproval(database.db, people.cm, statementId);
		const v = await current(statementId);
		const results = await Promise.allSettled([
			decide(database.db, people.legal, { statementId, versionId: v.id, step: 0, decision: 'approved' }),
			decide(database.db, legal2, { statementId, versionId: v.id, step: 0, decision: 'approved' })
		]);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		expect(((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason as DomainError).code).toBe('ALREADY_DECIDED');
		expect((await current(statementId)).decisions).toHaveLength(1);
	});

	it('two people releasing at once give exactly one release', async () => {
		const { statementId } = await draft();
		await submitForApproval(database.db, people.cm, statementId);
		const v = await current(statementId);
		await decide(database.db, people.legal, { statementId, versionId: v.id, step: 0, decision: 'approved' });
		await decide(database.db, people.exec, { statementId, versionId: v.id, step: 1, decision: 'approved' });
		const results = await Promise.allSettled([
			release(database.db, people.cm, { statementId, versionId: v.id, channels: ['x'] }),
			release(database.db, exec2, { statementId, versionId: v.id, channels: ['x'] })
		]);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		expect(await database.db.select().from(releases).where(eq(releases.statementId, statementId))).toHaveLength(1);
	});

	it('editing after approval: submitting again makes version N+1, cancels the open steps, and blocks the old text', async () => {
		const { incidentId, statementId } = await draft();
		await submitForApproval(database.db, people.cm, statementId);
		const v1 = await current(statementId);
		await decide(database.db, people.legal, { statementId, versionId: v1.id, step: 0, decision: 'approved' });
		await expectCode(submitForApproval(database.db, people.cm, statementId), 'NOTHING_CHANGED');
		await edit(database, statementId, (t) => t.insert(t.length, ' Update: fixed.'));
		expect(await submitForApproval(database.db, people.legal, statementId)).toBe(2);
		const [v2, old] = await listVersions(database.db, statementId);
		expect([old!.status, v2!.status]).toEqual(['superseded', 'in_review']);
		await expectCode(decide(database.db, people.exec, { statementId, versionId: v1.id, step: 1, decision: 'approved' }), 'VERSION_SUPERSEDED');
		await expectCode(release(database.db, people.exec, { statementId, versionId: v1.id, channels: ['x'], breakGlassReason: 'now' }), 'VERSION_SUPERSEDED');
		const superseded = (await readTimeline(database.db, incidentId)).find((e) => e.type === 'statement.superseded');
		expect(superseded?.data).toMatchObject({ version: 1, by: 2, cancelledSteps: ['executive'] });
		// The decision on version 1 does not carry over to version 2.
		expect(v2!.decisions).toEqual([]);
	});

	it('break glass: only an executive, only with a reason, marked on the release', async () => {
		const { incidentId, statementId } = await draft();
		await submitForApproval(database.db, people.cm, statementId);
		const v = await current(statementId);
		await expectCode(release(database.db, people.cm, { statementId, versionId: v.id, channels: ['x'], breakGlassReason: 'urgent' }), 'FORBIDDEN');
		await expectCode(release(database.db, people.exec, { statementId, versionId: v.id, channels: ['x'] }), 'NOT_APPROVED');
		await release(database.db, people.exec, { statementId, versionId: v.id, channels: ['x'], breakGlassReason: 'Regulator deadline in 10 minutes' });
		const [row] = await database.db.select().from(releases).where(eq(releases.statementId, statementId));
		expect(row).toMatchObject({ text: v.text, breakGlassReason: 'Regulator deadline in 10 minutes' });
		const event = (await readTimeline(database.db, incidentId)).at(-1)!;
		expect(event).toMatchObject({ type: 'statement.released', data: { breakGlassReason: 'Regulator deadline in 10 minutes' } });
	});

	it('versions and releases cannot be rewritten in the database', async () => {
		const { statementId } = await draft(['email']);
		await submitForApproval(database.db, people.cm, statementId);
		const v = await current(statementId);
		await expect(database.db.update(statementVersions).set({ text: 'forged' }).where(eq(statementVersions.id, v.id))).rejects.toThrow();
		const forged = v.variants.map((x) => ({ ...x, text: 'forged' }));
		await expect(database.db.update(statementVersions).set({ variants: forged }).where(eq(statementVersions.id, v.id))).rejects.toThrow();
		await release(database.db, people.exec, { statementId, versionId: v.id, channels: ['email'], breakGlassReason: 'test' });
		await expect(database.db.update(releases).set({ text: 'forged' }).where(eq(releases.statementId, statementId))).rejects.toThrow();
		await expect(database.db.execute(sql`DELETE FROM releases WHERE statement_id = ${statementId}`)).rejects.toThrow();
		expect((await current(statementId)).text).toBe(v.text);
	});

	it('property: whatever people do with a pack, every released text is its variant of a version approved at every step (or break glass), byte for byte', async () => {
		const { statementId } = await draft(['press', 'website']);
		const actors = { cm: people.cm, legal: people.legal, exec: people.exec, exec2 };
		const channel = fc.constantFrom<Channel>('x', 'press', 'website', 'linkedin');
		const action = fc.oneof(
			fc.record({ kind: fc.constant('edit' as const), channel, word: fc.constantFrom('calm', 'sorry', 'facts', 'é', 'e\u0301', '🙂', ' ', 'next') }),
			fc.record({ kind: fc.constant('variant' as const), channel, add: fc.boolean() }),
			fc.record({ kind: fc.constant('submit' as const), by: fc.constantFrom('cm', 'legal') }),
			fc.record({ kind: fc.constant('approve' as const), by: fc.constantFrom('legal', 'exec', 'exec2', 'cm'), step: fc.integer({ min: 0, max: 2 }) }),
			fc.record({ kind: fc.constant('reject' as const), by: fc.constantFrom('legal', 'exec') }),
			fc.record({ kind: fc.constant('release' as const), by: fc.constantFrom('cm', 'exec'), channels: fc.uniqueArray(channel, { minLength: 1, maxLength: 3 }), glass: fc.boolean() }),
			fc.record({ kind: fc.constant('withdraw' as const), by: fc.constantFrom('cm', 'legal'), channel }),
			// Two people at once: the same release twice, or the same step decided twice.
			fc.record({ kind: fc.constant('race' as const), channels: fc.uniqueArray(channel, { minLength: 1, maxLength: 2 }) })
		);
		await fc.assert(
			fc.asyncProperty(fc.array(action, { minLength: 5, maxLength: 25 }), async (steps) => {
				for (const step of steps) {
					const v = await current(statementId).catch(() => undefined);
					const out = async () => (v ? (await current(statementId)).releases : []);
					const attempt = async (): Promise<unknown> => {
						switch (step.kind) {
							case 'edit': {
								const lead = step.channel === 'x';
								return edit(database, statementId, (t) => t.insert(t.length, ` ${step.word}`), lead ? DRAFT : `variant:${step.channel}`);
							}
							case 'variant':
								return step.channel === 'x'
									? undefined
									: (step.add ? addVariant : removeVariant)(database.db, people.cm, { statementId, channel: step.channel });
							case 'submit':
								return submitForApproval(database.db, actors[step.by], statementId);
							case 'approve':
								return v && decide(database.db, actors[step.by], { statementId, versionId: v.id, step: step.step, decision: 'approved' });
							case 'reject':
								return v && decide(database.db, actors[step.by], { statementId, versionId: v.id, step: v.decisions.length, decision: 'rejected', comment: 'no' });
							case 'release':
								return v && release(database.db, actors[step.by], { statementId, versionId: v.id, channels: step.channels, breakGlassReason: step.glass ? 'urgent' : undefined });
							case 'withdraw': {
								const live = (await out()).find((r) => r.channel === step.channel && !r.correctedAt && !r.withdrawal);
								return live && withdrawRelease(database.db, actors[step.by], { statementId, releaseId: live.id, reason: 'wrong' });
							}
							case 'race':
								if (!v) return;
								return Promise.allSettled([
									release(database.db, people.cm, { statementId, versionId: v.id, channels: step.channels }),
									release(database.db, exec2, { statementId, versionId: v.id, channels: step.channels }),
									decide(database.db, people.legal, { statementId, versionId: v.id, step: v.decisions.length, decision: 'approved' }),
									decide(database.db, exec2, { statementId, versionId: v.id, step: v.decisions.length, decision: 'approved' })
								]).then((results) => {
									for (const r of results) if (r.status === 'rejected' && !(r.reason instanceof DomainError)) throw r.reason;
								});
						}
					};
					await attempt().catch((e: unknown) => {
						if (!(e instanceof DomainError)) throw e;
					});
				}
				const versions = await listVersions(database.db, statementId);
				const all = await database.db.select().from(releases).where(eq(releases.statementId, statementId));
				for (const r of all) {
					const version = versions.find((v) => v.id === r.versionId)!;
					const approvedEverywhere = version.decisions.length === version.chain.length && version.decisions.every((d) => d.decision === 'approved');
					expect(approvedEverywhere || r.breakGlassReason !== null).toBe(true);
					// Byte for byte the variant of that version for that channel.
					const variant = version.variants.find((x) => x.channel === r.channel);
					expect(variant, `version ${version.number} has a ${r.channel} variant`).toBeDefined();
					expect(Buffer.from(r.text).equals(Buffer.from(variant!.text))).toBe(true);
					expect(r.sha256).toBe(sha256Hex(r.text));
					expect(version.sha256).toBe(sha256Hex(packHashInput(version.variants)));
				}
				// One text out per channel at most; each correction replaced the one that was out.
				const outOn = (c: Channel) => versions.flatMap((v) => v.releases).filter((r) => r.channel === c && !r.correctedAt && !r.withdrawal);
				for (const c of ['x', 'press', 'website', 'linkedin'] as const) expect(outOn(c).length).toBeLessThanOrEqual(1);
				for (const r of all.filter((r) => r.correctsReleaseId)) {
					expect(all.find((earlier) => earlier.id === r.correctsReleaseId)?.channel).toBe(r.channel);
				}
			}),
			{ numRuns: 15, seed: 20261201 }
		);
	}, 120_000);
});
