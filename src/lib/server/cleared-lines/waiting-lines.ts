// Pre-cleared lines whose latest version waits for this person's decision: they count in
// "Waiting for you" and are listed on the approvals page, beside statements, so that a line
// prepared in calm times does not wait unseen for its approvers.
import type { Executor } from '../db/index.ts';
import { can, type Actor } from '../policy.ts';
import type { LineSummary } from '../../shared/cleared-lines.ts';
import { listLibrary } from './library.ts';

export async function linesWaitingForMe(db: Executor, actor: Actor): Promise<LineSummary[]> {
	if (!can(actor, 'lines.view')) return [];
	return (await listLibrary(db, actor, { inReview: true })).lines.filter((line) => line.waitingForMe);
}
