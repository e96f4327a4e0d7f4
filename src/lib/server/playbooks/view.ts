// What a page shows of a playbook: its markdown rendered and sanitized on the server.
import { renderMarkdown } from '../../shared/markdown.ts';
import type { Playbook, PlaybookView } from '../../shared/playbooks.ts';

export function playbookView(playbook: Playbook): PlaybookView {
	return {
		...playbook,
		introHtml: renderMarkdown(playbook.intro),
		phases: playbook.phases.map((phase) => ({ ...phase, notesHtml: renderMarkdown(phase.notes) }))
	};
}
