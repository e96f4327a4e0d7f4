// The organization's view over time: incidents and drills per month, and the median time to
// the first public statement — drills apart from real crises — overall and per playbook.
// Each incident's figure is its report's (shared/report.ts, from its timeline), so the view
// agrees with every report it sums up. Readable by whoever reads every incident (not staff).
import { asc, eq } from 'drizzle-orm';
import type { Executor } from '../db/index.ts';
import { incidents } from '../db/schema/index.ts';
import { readTimeline } from '../incidents/timeline.ts';
import { authorize, type Actor } from '../policy.ts';
import { computeReport, median } from '../../shared/report.ts';

export interface Tally {
	crises: number;
	drills: number;
	/** Median ms to the first public statement, among those that released one. */
	medianCrisisMs: number | null;
	medianDrillMs: number | null;
}

export interface OverTime {
	months: (Tally & { month: string })[];
	playbooks: (Tally & { playbook: string; title: string })[];
	all: Tally;
}

interface Item {
	drill: boolean;
	firstMs: number | null;
}

function tally(items: Item[]): Tally {
	const times = (drill: boolean) => items.filter((i) => i.drill === drill && i.firstMs !== null).map((i) => i.firstMs!);
	return {
		crises: items.filter((i) => !i.drill).length,
		drills: items.filter((i) => i.drill).length,
		medianCrisisMs: median(times(false)),
		medianDrillMs: median(times(true))
	};
}

export async function overTime(db: Executor, actor: Actor): Promise<OverTime> {
	authorize(actor, 'incidents.view');
	const rows = await db.select().from(incidents).where(eq(incidents.organizationId, actor.organizationId)).orderBy(asc(incidents.declaredAt));
	const byMonth = new Map<string, Item[]>();
	const byPlaybook = new Map<string, { title: string; items: Item[] }>();
	const all: Item[] = [];
	for (const incident of rows) {
		// Only the first public statement is summed up here: the plan's tasks and chain do not matter.
		const plan = { declaredAt: incident.declaredAt.toISOString(), firstStatementDueAt: incident.firstStatementDueAt.toISOString(), drill: incident.drill, approvals: [], phases: [], tasks: [] };
		const report = computeReport(plan, await readTimeline(db, incident.id));
		const item = { drill: incident.drill, firstMs: report.firstStatement.atMs };
		all.push(item);
		const month = incident.declaredAt.toISOString().slice(0, 7);
		byMonth.set(month, [...(byMonth.get(month) ?? []), item]);
		const key = `${incident.playbook.lang}/${incident.playbook.id}`;
		const entry = byPlaybook.get(key) ?? { title: incident.playbook.playbook.title, items: [] };
		entry.items.push(item);
		byPlaybook.set(key, entry);
	}
	return {
		months: [...byMonth].map(([month, items]) => ({ month, ...tally(items) })),
		playbooks: [...byPlaybook].map(([playbook, { title, items }]) => ({ playbook, title, ...tally(items) })).sort((a, b) => a.playbook.localeCompare(b.playbook)),
		all: tally(all)
	};
}
