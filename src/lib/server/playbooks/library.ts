// The playbooks an organization can use: the built-in files, overridden by the
// organization's own (same id and language), whose every saved text is kept as a version.
import { and, desc, eq, sql } from 'drizzle-orm';
import { sha256Hex } from '../hash.ts';
import type { Database, Executor } from '../db/index.ts';
import { organizationPlaybooks, playbookVersions, users } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import { m } from '../../paraglide/messages.js';
import { authorize, type Actor } from '../policy.ts';
import type { Language } from '../../shared/roles.ts';
import { findPlaybookFiles, formatProblem, loadPlaybookFiles } from './files.ts';
import { parsePlaybook } from './parse.ts';
import type { ApprovalRole, Category, PlaybookEntry, PlaybookIssue, PlaybookSnapshot } from '../../shared/playbooks.ts';


export interface PlaybookSummary {
	id: string;
	lang: Language;
	title: string;
	summary: string;
	category: Category;
	severity: number;
	origin: PlaybookEntry['origin'];
	version: number | null;
	phases: number;
	tasks: number;
	statements: number;
}

export interface PlaybookFilters {
	category?: string;
	lang?: string;
	q?: string;
}

/**
 * Reads the shipped playbooks. A broken file is logged with its location and left out;
 * it never stops the server or hides the other playbooks.
 */
export function loadBuiltInPlaybooks(dir: string, log: (line: string) => void = console.error): PlaybookEntry[] {
	let files: string[];
	try {
		files = findPlaybookFiles([dir]);
	} catch (error) {
		log(`playbooks: cannot read ${dir}: ${(error as Error).message}`);
		return [];
	}
	const { playbooks, problems } = loadPlaybookFiles(files);
	for (const problem of problems) log(`playbooks: ${formatProblem(problem)} (file left out)`);
	return playbooks.map(({ source, playbook }) => ({
		playbook,
		source,
		sha256: sha256Hex(source),
		origin: 'built-in',
		version: null
	}));
}

const key = (p: { lang: string; id: string }) => `${p.lang}/${p.id}`;

async function organizationEntries(db: Executor, organizationId: string): Promise<PlaybookEntry[]> {
	const rows = await db
		.selectDistinctOn([organizationPlaybooks.id], {
			source: playbookVersions.source,
			parsed: playbookVersions.parsed,
			sha256: playbookVersions.sha256,
			version: playbookVersions.version
		})
		.from(organizationPlaybooks)
		.innerJoin(playbookVersions, eq(playbookVersions.organizationPlaybookId, organizationPlaybooks.id))
		.where(eq(organizationPlaybooks.organizationId, organizationId))
		.orderBy(organizationPlaybooks.id, desc(playbookVersions.version));
	return rows.map((r) => ({ playbook: r.parsed, source: r.source, sha256: r.sha256, origin: 'organization', version: r.version }));
}

/** Built-ins, with the organization's own playbooks in place of those they replace. */
async function entriesFor(db: Executor, actor: Actor, builtIns: PlaybookEntry[]): Promise<PlaybookEntry[]> {
	authorize(actor, 'playbooks.view');
	const merged = new Map(builtIns.map((e) => [key(e.playbook), e]));
	for (const entry of await organizationEntries(db, actor.organizationId)) merged.set(key(entry.playbook), entry);
	return [...merged.values()];
}

/** Lower-case, without accents: "écrire" finds "Ecrire". */
function folded(text: string): string {
	return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

export async function listPlaybooks(
	db: Executor,
	actor: Actor,
	builtIns: PlaybookEntry[],
	filters: PlaybookFilters = {}
): Promise<PlaybookSummary[]> {
	const words = folded(filters.q ?? '').split(/\s+/).filter(Boolean);
	return (await entriesFor(db, actor, builtIns))
		.filter(({ playbook: p }) => {
			if (filters.category && p.category !== filters.category) return false;
			if (filters.lang && p.lang !== filters.lang) return false;
			const haystack = folded(`${p.title} ${p.summary} ${p.id} ${p.category}`);
			return words.every((w) => haystack.includes(w));
		})
		.map(({ playbook: p, origin, version }) => ({
			id: p.id,
			lang: p.lang,
			title: p.title,
			summary: p.summary,
			category: p.category,
			severity: p.severity,
			origin,
			version,
			phases: p.phases.length,
			tasks: p.phases.reduce((n, ph) => n + ph.tasks.length, 0),
			statements: p.phases.reduce((n, ph) => n + ph.statements.length, 0)
		}))
		.sort((a, b) => a.lang.localeCompare(b.lang) || a.title.localeCompare(b.title));
}

export async function getPlaybook(
	db: Executor,
	actor: Actor,
	builtIns: PlaybookEntry[],
	lang: string,
	id: string
): Promise<PlaybookEntry> {
	const entry = (await entriesFor(db, actor, builtIns)).find((e) => e.playbook.lang === lang && e.playbook.id === id);
	if (!entry) throw new DomainError('NOT_FOUND', m.error_playbook_not_found());
	return entry;
}

/** Validates and saves a playbook text as the next version of the organization's playbook. */
export async function savePlaybook(
	db: Database,
	actor: Actor,
	source: string
): Promise<{ id: string; lang: Language; version: number }> {
	authorize(actor, 'playbooks.manage');
	const result = parsePlaybook(source);
	if (!result.ok) {
		const count = result.issues.length;
		throw new DomainError(
			'PLAYBOOK_INVALID',
			m.error_playbook_invalid({ count }),
			'source',
			result.issues satisfies PlaybookIssue[]
		);
	}
	const { playbook } = result;
	return db.transaction(async (tx) => {
		await tx
			.insert(organizationPlaybooks)
			.values({ organizationId: actor.organizationId, playbookId: playbook.id, lang: playbook.lang })
			.onConflictDoNothing();
		// The row lock makes concurrent saves take their version numbers one after the other.
		const [owner] = await tx
			.select({ id: organizationPlaybooks.id })
			.from(organizationPlaybooks)
			.where(
				and(
					eq(organizationPlaybooks.organizationId, actor.organizationId),
					eq(organizationPlaybooks.playbookId, playbook.id),
					eq(organizationPlaybooks.lang, playbook.lang)
				)
			)
			.for('update');
		const [{ last }] = (await tx
			.select({ last: sql<number>`coalesce(max(${playbookVersions.version}), 0)::int` })
			.from(playbookVersions)
			.where(eq(playbookVersions.organizationPlaybookId, owner!.id))) as [{ last: number }];
		const version = last + 1;
		await tx.insert(playbookVersions).values({
			organizationPlaybookId: owner!.id,
			version,
			source,
			parsed: playbook,
			sha256: sha256Hex(source),
			createdBy: actor.userId
		});
		return { id: playbook.id, lang: playbook.lang, version };
	});
}

export interface PlaybookVersionSummary {
	version: number;
	sha256: string;
	createdAt: Date;
	createdBy: string | null;
}

export async function listPlaybookVersions(
	db: Executor,
	actor: Actor,
	lang: string,
	id: string
): Promise<PlaybookVersionSummary[]> {
	authorize(actor, 'playbooks.view');
	return db
		.select({
			version: playbookVersions.version,
			sha256: playbookVersions.sha256,
			createdAt: playbookVersions.createdAt,
			createdBy: users.displayName
		})
		.from(playbookVersions)
		.innerJoin(organizationPlaybooks, eq(organizationPlaybooks.id, playbookVersions.organizationPlaybookId))
		.leftJoin(users, eq(users.id, playbookVersions.createdBy))
		.where(
			and(
				eq(organizationPlaybooks.organizationId, actor.organizationId),
				eq(organizationPlaybooks.lang, lang as Language),
				eq(organizationPlaybooks.playbookId, id)
			)
		)
		.orderBy(desc(playbookVersions.version));
}

export async function getPlaybookVersion(
	db: Executor,
	actor: Actor,
	lang: string,
	id: string,
	version: number
): Promise<PlaybookEntry> {
	authorize(actor, 'playbooks.view');
	// Versions are small positive integers; anything else (99999999999) is no version.
	if (!Number.isInteger(version) || version < 1 || version > 2 ** 31 - 1) throw new DomainError('NOT_FOUND', m.error_playbook_version_not_found());
	const [row] = await db
		.select({ source: playbookVersions.source, parsed: playbookVersions.parsed, sha256: playbookVersions.sha256 })
		.from(playbookVersions)
		.innerJoin(organizationPlaybooks, eq(organizationPlaybooks.id, playbookVersions.organizationPlaybookId))
		.where(
			and(
				eq(organizationPlaybooks.organizationId, actor.organizationId),
				eq(organizationPlaybooks.lang, lang as Language),
				eq(organizationPlaybooks.playbookId, id),
				eq(playbookVersions.version, version)
			)
		);
	if (!row) throw new DomainError('NOT_FOUND', m.error_playbook_version_not_found());
	return { playbook: row.parsed, source: row.source, sha256: row.sha256, origin: 'organization', version };
}

/** Removes the organization's own playbook and its versions; a built-in one shows again. */
export async function deletePlaybook(db: Executor, actor: Actor, lang: string, id: string): Promise<void> {
	authorize(actor, 'playbooks.manage');
	const deleted = await db
		.delete(organizationPlaybooks)
		.where(
			and(
				eq(organizationPlaybooks.organizationId, actor.organizationId),
				eq(organizationPlaybooks.lang, lang as Language),
				eq(organizationPlaybooks.playbookId, id)
			)
		)
		.returning({ id: organizationPlaybooks.id });
	if (!deleted.length) throw new DomainError('NOT_FOUND', m.error_own_playbook_not_found());
}

/** What an incident keeps of its playbook: the exact text and its parsed form, frozen. */

/** The approval chain an incident's statements go through. */
export function frozenApprovalChain(snapshot: PlaybookSnapshot): ApprovalRole[] {
	const chain = snapshot.approvals ?? snapshot.playbook.approvals;
	// Never an empty chain: that would release statements nobody approved.
	if (!chain?.length) throw new Error(`incident playbook ${snapshot.lang}/${snapshot.id} has no approval chain`);
	return chain;
}

/**
 * The steps a statement takes when it only fills in a pre-cleared line's placeholders: the
 * incident's frozen chain, keeping the roles of the playbook's `fast_track` (it wins), else
 * of the organization's setting, in the chain's order. Never empty: when none of those roles
 * is in the chain, the whole chain remains — a fast track never skips every approval.
 */
export function fastTrackChain(snapshot: PlaybookSnapshot, organizationFastTrack: readonly ApprovalRole[]): ApprovalRole[] {
	const chain = frozenApprovalChain(snapshot);
	const keep: readonly ApprovalRole[] = snapshot.playbook.fastTrack ?? organizationFastTrack;
	const remaining = chain.filter((role) => keep.includes(role));
	return remaining.length ? remaining : [...chain];
}

export function snapshotPlaybook(entry: PlaybookEntry, defaultApprovals: ApprovalRole[], now = new Date()): PlaybookSnapshot {
	// A deep copy: later edits to the library's objects can never reach a running crisis.
	const playbook = structuredClone(entry.playbook);
	return {
		id: playbook.id,
		lang: playbook.lang,
		origin: entry.origin,
		version: entry.version,
		sha256: entry.sha256,
		source: entry.source,
		playbook,
		approvals: [...(playbook.approvals ?? defaultApprovals)],
		frozenAt: now.toISOString()
	};
}
