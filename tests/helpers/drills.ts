// A test playbook for drills: three injects (an X post, a press call, an email) at +1, +2
// and +3 minutes, declared as a drill by the given person.
import type { Database } from '../../src/lib/server/db/index.ts';
import { declareIncident } from '../../src/lib/server/incidents/declare-incident.ts';
import { parsePlaybook } from '../../src/lib/server/playbooks/parse.ts';
import type { Actor } from '../../src/lib/server/policy.ts';
import { builtInPlaybook } from './incidents.ts';

export function drillPlaybookSource(id: string, offsets: [string, string, string] = ['+1m', '+2m', '+3m']): string {
	return `---
id: ${id}
title: Rehearsal ${id}
lang: en
category: other
severity: 3
first_statement_within: 30m
approvals: [legal, executive]
summary: A rehearsal with injects close together.
---
Rehearse the first answer.

## Act
- [ ] Read the first post @cm +1m
- [ ] Brief the team @cm +2m

\`\`\`statement id=first channel=x title="First answer"
We have seen your messages and are looking into it. {{signature}}
\`\`\`

\`\`\`inject at=${offsets[0]} channel=x from="@angry_customer"
Your app ate my order. Again.
\`\`\`

\`\`\`inject at=${offsets[1]} channel=press from="Jo Reyes" outlet="Daily Ledger" deadline="within the hour"
We are running a piece on the outage. Any comment?
\`\`\`

\`\`\`inject at=${offsets[2]} channel=email from="desk@news.example" subject="About {{org}}"
Is it true that customers were charged twice?
\`\`\`
`;
}

export async function declareDrill(db: Database, by: Actor, now: Date, drill = true): Promise<string> {
	const parsed = parsePlaybook(drillPlaybookSource('rehearsal'));
	if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
	const entry = { ...builtInPlaybook(), playbook: parsed.playbook };
	const { incidentId } = await declareIncident(db, by, entry, { title: 'Rehearsal', severity: 3, drill, variables: {} }, now);
	return incidentId;
}
