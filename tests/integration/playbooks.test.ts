import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/lib/server/db/index.ts';
import {
	deletePlaybook,
	getPlaybook,
	getPlaybookVersion,
	listPlaybooks,
	listPlaybookVersions,
	loadBuiltInPlaybooks,
	savePlaybook,
	snapshotPlaybook
} from '../../src/lib/server/playbooks/library.ts';
import { createInvitation, acceptInvitationWithNewAccount } from '../../src/lib/server/organizations/invitations.ts';
import { findActor } from '../../src/lib/server/organizations/organizations.ts';
import type { Actor } from '../../src/lib/server/policy.ts';
import type { PlaybookEntry } from '../../src/lib/shared/playbooks.ts';
import { PASSWORD, signUpAdmin, uniqueEmail, expectCode } from '../helpers/fixtures.ts';
import { testDatabases } from '../helpers/database.ts';

const REFERENCE = readFileSync('playbooks/en/impulsive-post.md', 'utf8');


describe('built-in playbooks on disk', () => {
	it('leaves out a broken file, logs where it is broken, and keeps the others', () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'holdline-playbooks-'));
		mkdirSync(path.join(dir, 'en'));
		writeFileSync(path.join(dir, 'en', 'impulsive-post.md'), REFERENCE);
		writeFileSync(path.join(dir, 'en', 'broken.md'), REFERENCE.replace('id: impulsive-post', 'id: broken').replace('@legal +30m', '@legl +30m'));
		writeFileSync(path.join(dir, 'en', 'misnamed.md'), REFERENCE);
		const log: string[] = [];
		const entries = loadBuiltInPlaybooks(dir, (line) => log.push(line));
		expect(entries.map((e) => e.playbook.id)).toEqual(['impulsive-post']);
		expect(log).toHaveLength(3);
		expect(log[0]).toMatch(/broken\.md:\d+: unknown role "@legl" — known: .* \(file left out\)$/);
		expect(log[1]).toMatch(/misnamed\.md:2: id "impulsive-post" does not match the file name/);
		expect(log[2]).toMatch(/misnamed\.md:2: duplicate id "impulsive-post" in en — already used by .*impulsive-post\.md/);
	});

	it('ships at least 8 valid playbooks per language, each with tasks, templates and injects', () => {
		const entries = loadBuiltInPlaybooks('playbooks', (line) => {
			throw new Error(line);
		});
		for (const lang of ['en', 'fr'] as const) {
			const mine = entries.filter((e) => e.playbook.lang === lang);
			expect(mine.length, `${lang} playbooks`).toBeGreaterThanOrEqual(8);
			for (const { playbook } of mine) {
				const tasks = playbook.phases.flatMap((p) => p.tasks);
				const statements = playbook.phases.flatMap((p) => p.statements);
				expect(tasks.length, `${lang}/${playbook.id} tasks`).toBeGreaterThanOrEqual(8);
				expect(new Set(statements.map((s) => s.channel)).size, `${lang}/${playbook.id} channels`).toBeGreaterThanOrEqual(2);
				expect(playbook.phases.flatMap((p) => p.injects).length, `${lang}/${playbook.id} injects`).toBeGreaterThanOrEqual(2);
			}
		}
		const harassment = entries.filter((e) => e.playbook.category === 'harassment');
		expect(harassment.length).toBeGreaterThanOrEqual(2);
		for (const { playbook } of harassment) {
			expect(playbook.phases.flatMap((p) => p.tasks).filter((t) => t.role === 'target').length).toBeGreaterThanOrEqual(5);
		}
	});
});

describe.each(testDatabases)('organization playbooks on $name', ({ open }) => {
	let database: DatabaseHandle;
	let builtIns: PlaybookEntry[];
	beforeAll(async () => {
		database = await open();
		builtIns = loadBuiltInPlaybooks('playbooks');
	});
	afterAll(() => database.close());

	async function member(admin: Actor, roles: Actor['roles']): Promise<Actor> {
		const { token } = await createInvitation(database.db, admin, { roles });
		const { userId } = await acceptInvitationWithNewAccount(database.db, token, {
			displayName: 'Member',
			email: uniqueEmail(),
			password: PASSWORD,
			language: 'en'
		});
		return (await findActor(database.db, userId, admin.organizationId))!;
	}

	it('replaces a built-in playbook for its organization only, and keeps every version', async () => {
		const acme = await signUpAdmin(database.db);
		const globex = await signUpAdmin(database.db);
		const edited = REFERENCE.replace('title: Bad buzz after an impulsive post from our own account', 'title: Our own impulsive-post playbook');
		expect(await savePlaybook(database.db, acme, edited)).toEqual({ id: 'impulsive-post', lang: 'en', version: 1 });
		const again = edited.replace('+10m', '+5m');
		expect((await savePlaybook(database.db, acme, again)).version).toBe(2);

		const mine = await getPlaybook(database.db, acme, builtIns, 'en', 'impulsive-post');
		expect(mine).toMatchObject({ origin: 'organization', version: 2, source: again });
		expect(mine.playbook.title).toBe('Our own impulsive-post playbook');
		const theirs = await getPlaybook(database.db, globex, builtIns, 'en', 'impulsive-post');
		expect(theirs).toMatchObject({ origin: 'built-in', version: null, source: REFERENCE });

		const acmeList = await listPlaybooks(database.db, acme, builtIns, { lang: 'en' });
		expect(acmeList.filter((p) => p.id === 'impulsive-post')).toHaveLength(1);
		expect(acmeList.find((p) => p.id === 'impulsive-post')?.title).toBe('Our own impulsive-post playbook');

		expect((await listPlaybookVersions(database.db, acme, 'en', 'impulsive-post')).map((v) => v.version)).toEqual([2, 1]);
		expect((await getPlaybookVersion(database.db, acme, 'en', 'impulsive-post', 1)).source).toBe(edited);
		await expectCode(getPlaybookVersion(database.db, globex, 'en', 'impulsive-post', 1), 'NOT_FOUND');
		expect(await listPlaybookVersions(database.db, globex, 'en', 'impulsive-post')).toEqual([]);

		await deletePlaybook(database.db, acme, 'en', 'impulsive-post');
		expect((await getPlaybook(database.db, acme, builtIns, 'en', 'impulsive-post')).origin).toBe('built-in');
	});

	it('refuses an invalid playbook with its located problems and saves nothing', async () => {
		const acme = await signUpAdmin(database.db);
		const error = await expectCode(
			savePlaybook(database.db, acme, REFERENCE.replace('id: impulsive-post', 'id: brand-new').replace('@cm +10m', '@cmm +10m')),
			'PLAYBOOK_INVALID'
		);
		expect(error.details).toEqual([
			expect.objectContaining({ line: 26, message: 'unknown role "@cmm"' })
		]);
		await expectCode(getPlaybook(database.db, acme, builtIns, 'en', 'brand-new'), 'NOT_FOUND');
	});

	it('lets admins and CMs write playbooks, everyone else only read them', async () => {
		const acme = await signUpAdmin(database.db);
		const cm = await member(acme, ['cm']);
		const legal = await member(acme, ['legal', 'observer']);
		const source = REFERENCE.replace('id: impulsive-post', 'id: cm-made');
		expect((await savePlaybook(database.db, cm, source)).version).toBe(1);
		await expectCode(savePlaybook(database.db, legal, source), 'FORBIDDEN');
		await expectCode(deletePlaybook(database.db, legal, 'en', 'cm-made'), 'FORBIDDEN');
		expect((await getPlaybook(database.db, legal, builtIns, 'en', 'cm-made')).origin).toBe('organization');
	});

	it('gives concurrent saves distinct version numbers', async () => {
		const acme = await signUpAdmin(database.db);
		const source = REFERENCE.replace('id: impulsive-post', 'id: busy');
		const versions = await Promise.all([1, 2, 3, 4].map((n) => savePlaybook(database.db, acme, source.replace('+10m', `+${n}m`))));
		expect(versions.map((v) => v.version).sort()).toEqual([1, 2, 3, 4]);
	});

	it('filters by category, language and words, ignoring accents and case', async () => {
		const acme = await signUpAdmin(database.db);
		const all = await listPlaybooks(database.db, acme, builtIns);
		expect(all.length).toBe(builtIns.length);
		const outage = await listPlaybooks(database.db, acme, builtIns, { category: 'outage', lang: 'en' });
		expect(outage.map((p) => p.id)).toEqual(['service-outage']);
		const french = await listPlaybooks(database.db, acme, builtIns, { lang: 'fr' });
		expect(french.every((p) => p.lang === 'fr')).toBe(true);
		const searched = await listPlaybooks(database.db, acme, builtIns, { q: 'IMPULSIVE' });
		expect(searched.map((p) => p.id)).toContain('impulsive-post');
		await savePlaybook(database.db, acme, REFERENCE.replace('id: impulsive-post', 'id: accents').replace(/^title: .*$/m, 'title: Réponse à la crise'));
		expect((await listPlaybooks(database.db, acme, builtIns, { q: 'reponse a la' })).map((p) => p.id)).toEqual(['accents']);
	});

	it('freezes a snapshot that later edits never change', async () => {
		const acme = await signUpAdmin(database.db);
		const source = REFERENCE.replace('id: impulsive-post', 'id: frozen');
		await savePlaybook(database.db, acme, source);
		const entry = await getPlaybook(database.db, acme, builtIns, 'en', 'frozen');
		const snapshot = snapshotPlaybook(entry, ['executive'], new Date('2030-01-01T00:00:00Z'));
		expect(snapshot).toMatchObject({ id: 'frozen', lang: 'en', origin: 'organization', version: 1, source, frozenAt: '2030-01-01T00:00:00.000Z' });
		expect(snapshot.sha256).toMatch(/^[0-9a-f]{64}$/);
		expect(snapshot.approvals).toEqual(['legal', 'executive']); // the playbook's own chain, not the default passed
		entry.playbook.phases[0]!.tasks[0]!.text = 'changed in memory';
		await savePlaybook(database.db, acme, source.replace('+10m', '+1m'));
		expect(snapshot.playbook.phases[0]!.tasks[0]!.text).toBe('Screenshot the post, its main quotes and the first 20 replies, with URL and time');
		expect(snapshot.playbook.phases[0]!.tasks[0]!.offsetMinutes).toBe(10);
		expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
	});
});
