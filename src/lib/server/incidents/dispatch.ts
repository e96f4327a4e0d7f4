// One entry for every incident command, whichever way it arrives (socket or HTTP).
import type { Database } from '../db/index.ts';
import type { Actor } from '../policy.ts';
import type { z } from 'zod';
import type { incidentCommandSchema } from '../../shared/validation.ts';
import { addNote, changeSeverity, changeStatus, handOverCommand } from './incident-commands.ts';
import { addTask, assignTask, moveTask, protectPerson } from './tasks.ts';

export type ValidIncidentCommand = z.output<typeof incidentCommandSchema>;

export async function runIncidentCommand(db: Database, actor: Actor, command: ValidIncidentCommand): Promise<void> {
	switch (command.type) {
		case 'task.move':
			return moveTask(db, actor, command);
		case 'task.assign':
			return assignTask(db, actor, command);
		case 'task.add':
			return void (await addTask(db, actor, command));
		case 'note.add':
			return addNote(db, actor, command);
		case 'severity.change':
			return changeSeverity(db, actor, command);
		case 'status.change':
			return changeStatus(db, actor, command);
		case 'command.handover':
			return handOverCommand(db, actor, command);
		case 'target.add':
			return void (await protectPerson(db, actor, command));
	}
}
