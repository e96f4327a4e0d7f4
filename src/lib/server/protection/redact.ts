// What a reader without a protected person's consent receives instead of their name: the
// same events and tasks with "Protected person <number>" (in the reader's language) where
// the name, the person's account or their own actions would show. Pure: the page load, the
// timeline exports and every socket fan-out run the same code for each reader.
import type { TaskView, TimelineEventView } from '../../shared/incident-state.ts';
import { personLabel } from '../../shared/protection-text.ts';

/** One protected person as a given reader stands toward them. */
export interface PersonForReader {
	id: string;
	number: number;
	name: string;
	/** Their own account, and its display name (what their own actions are signed with). */
	userId: string | null;
	accountName: string | null;
	taskIds: ReadonlySet<string>;
	/** This reader may see them (policy.ts `maySeeProtectedPerson`). */
	visible: boolean;
}

function personOf(event: TimelineEventView, people: readonly PersonForReader[]): PersonForReader | undefined {
	const data = event.data as { personId?: string; taskId?: string; about?: { taskId?: string } };
	if (event.type === 'target.added') {
		// Events written before people had records carry the name only.
		return people.find((p) => (event.data.personId ? p.id === event.data.personId : p.name === event.data.name));
	}
	if (data.personId) return people.find((p) => p.id === data.personId);
	const taskId = data.taskId ?? (event.type === 'nudge.sent' ? event.data.about.taskId : undefined);
	return taskId ? people.find((p) => p.taskIds.has(taskId)) : undefined;
}

export function redactTask(task: TaskView, people: readonly PersonForReader[]): TaskView {
	const person = people.find((p) => p.taskIds.has(task.id));
	if (!person || person.visible) return task;
	const label = personLabel(person.number);
	const theirs = person.userId !== null && task.assigneeId === person.userId;
	return {
		...task,
		targetName: label,
		assigneeId: theirs ? null : task.assigneeId,
		assigneeName: theirs ? label : task.assigneeName,
		changedByName: person.accountName !== null && task.changedByName === person.accountName ? label : task.changedByName
	};
}

/** The event as this reader may read it: named for those allowed, labelled for the others. */
export function redactEvent(event: TimelineEventView, people: readonly PersonForReader[]): TimelineEventView {
	const person = personOf(event, people);
	if (!person) return event;
	if (person.visible) return 'personId' in event.data && event.type !== 'target.added' ? { ...event, person: person.name } : event;
	const label = personLabel(person.number);
	const byThem = person.userId !== null && event.actorId === person.userId;
	const out = { ...event, redacted: true as const, ...(byThem ? { actorName: label } : {}) };
	switch (out.type) {
		case 'target.added':
			out.data = { ...out.data, name: label, userId: null, tasks: out.data.tasks.map((t) => redactTask(t, people)) };
			break;
		case 'task.assigned':
			if (person.userId !== null && out.data.assigneeId === person.userId) out.data = { ...out.data, assigneeId: null, assigneeName: label };
			break;
		case 'nudge.sent':
			out.data = { ...out.data, to: out.data.to.map((t) => (t.userId === person.userId ? { userId: '', name: label } : t)) };
			break;
	}
	return out;
}
