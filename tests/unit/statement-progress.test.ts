// Where each statement stands, replayed from the timeline: draft, in review at step k of n
// (waiting for whom, since when), approved, released — and what a rejection, a newer version
// or a release after a review changes.
import { describe, expect, it } from 'vitest';
import type { EventData, EventType, IncidentState, TimelineEventView } from '../../src/lib/shared/incident-state.ts';
import { statementProgress } from '../../src/lib/shared/statement-progress.ts';

function state(events: TimelineEventView[]): IncidentState {
	return {
		incident: {
			id: 'i1',
			title: 'Bad buzz',
			severity: 2,
			status: 'active',
			drill: false,
			declaredAt: '2030-01-01T09:00:00.000Z',
			declaredByName: 'Camille',
			commanderId: 'u1',
			commanderName: 'Camille',
			firstStatementDueAt: '2030-01-01T10:00:00.000Z',
			firstStatementAt: null,
			variables: {},
			playbook: { id: 'p', lang: 'en', title: 'P', origin: 'built-in', version: null, sha256: 'x', approvals: ['legal', 'executive'], phases: ['One'], protectiveTasks: 0, templates: [] }
		},
		tasks: [],
		statements: [
			{ id: 's1', title: 'First response', channel: 'x', variantChannels: [], createdByName: 'Camille', createdAt: '2030-01-01T09:01:00.000Z' },
			{ id: 's2', title: 'Note to staff', channel: 'internal', variantChannels: [], createdByName: 'Camille', createdAt: '2030-01-01T09:02:00.000Z' }
		],
		timeline: events,
		seq: events.length
	};
}

let seq = 0;
function event<T extends EventType>(type: T, minute: number, data: EventData[T]): TimelineEventView {
	const at = `2030-01-01T09:${String(minute).padStart(2, '0')}:00.000Z`;
	return { seq: ++seq, at, actorId: 'u1', actorName: 'Camille', hash: 'h', type, data } as TimelineEventView;
}

const s1 = { statementId: 's1', title: 'First response' };
const submitted = (minute: number, version = 1) => event('statement.submitted', minute, { ...s1, version, sha256: 'a' });
const approved = (minute: number, step: number, final: boolean, version = 1) =>
	event('statement.approved', minute, { ...s1, version, step, role: step === 0 ? 'legal' : 'executive', final });

const progressOf = (events: TimelineEventView[]) => statementProgress(state(events)).find((s) => s.id === 's1')!.progress;

describe('statementProgress', () => {
	it('calls every statement without a submitted version a draft', () => {
		expect(statementProgress(state([])).map((s) => [s.id, s.progress.state])).toEqual([
			['s1', 'draft'],
			['s2', 'draft']
		]);
	});

	it('says which step waits for which role since when, counting steps from 1, and who wrote the version', () => {
		expect(progressOf([submitted(5)])).toEqual({ state: 'review', version: 1, step: 1, steps: 2, role: 'legal', since: '2030-01-01T09:05:00.000Z', authorId: 'u1' });
		expect(progressOf([submitted(5), approved(9, 0, false)])).toEqual({
			state: 'review',
			version: 1,
			step: 2,
			steps: 2,
			role: 'executive',
			since: '2030-01-01T09:09:00.000Z',
			// The author stays the submitter's, whoever decided the step before.
			authorId: 'u1'
		});
	});

	it('is approved after the final step, released after the release', () => {
		const chain = [submitted(5), approved(9, 0, false), approved(12, 1, true)];
		expect(progressOf(chain)).toEqual({ state: 'approved', version: 1, at: '2030-01-01T09:12:00.000Z' });
		const out = statementProgress(
			state([...chain, event('statement.released', 14, { ...s1, version: 1, sha256: 'a', channels: ['x'], breakGlassReason: null })])
		)[0]!;
		expect(out.progress).toEqual({ state: 'released', version: 1, at: '2030-01-01T09:14:00.000Z' });
		expect(out.releasedAt).toBe('2030-01-01T09:14:00.000Z');
	});

	it('goes back to the draft on a rejection, naming who refused', () => {
		const rejected = event('statement.rejected', 8, { ...s1, version: 1, step: 0, role: 'legal', comment: 'Too long' });
		expect(progressOf([submitted(5), rejected])).toEqual({ state: 'rejected', version: 1, role: 'legal', at: '2030-01-01T09:08:00.000Z' });
	});

	it('follows the newest version: a decision on a superseded one changes nothing', () => {
		const superseded = event('statement.superseded', 7, { ...s1, version: 1, by: 2, cancelledSteps: ['legal', 'executive'] });
		const late = approved(8, 0, false, 1);
		expect(progressOf([submitted(5), superseded, submitted(7, 2), late])).toMatchObject({ state: 'review', version: 2, step: 1, role: 'legal' });
		expect(progressOf([submitted(5), superseded])).toEqual({ state: 'draft' });
	});

	it('keeps the last release when a newer version is in review, and a break-glass release without any approval', () => {
		const release = event('statement.released', 6, { ...s1, version: 1, sha256: 'a', channels: ['x'], breakGlassReason: 'Urgent' });
		const first = statementProgress(state([release, submitted(20, 2)]))[0]!;
		expect(first.progress).toMatchObject({ state: 'review', version: 2, step: 1 });
		expect(first.releasedAt).toBe('2030-01-01T09:06:00.000Z');
	});
});
