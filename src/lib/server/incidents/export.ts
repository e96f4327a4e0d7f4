// The timeline as a document: Markdown for people, JSON (with the hash chain) for machines.
import type { Executor } from '../db/index.ts';
import type { Actor } from '../policy.ts';
import { firstStatementState } from '../../shared/deadlines.ts';
import { describeEvent } from '../../shared/timeline-text.ts';
import { findIncident } from './access.ts';
import { readTimeline, verifyTimeline } from './timeline.ts';

export async function exportTimeline(db: Executor, actor: Actor, incidentId: string) {
	const incident = await findIncident(db, actor, incidentId);
	const events = await readTimeline(db, incident.id);
	const verification = await verifyTimeline(db, incident.id);
	return { incident, events, verification };
}

/**
 * Everything that can end a line: CR, LF, VT, FF, NEL, the Unicode line and paragraph
 * separators, and every other control character, which has no business in an export.
 */
const LINE_BREAKS = /[\p{Cc}\u2028\u2029]+/gu;
/** Bidirectional overrides and isolates: they can make a line read in another order. */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/**
 * What Markdown reads as emphasis, code, links, raw HTML, headings or tables inside a line.
 * Nothing interpolated starts a line (each line begins with our own "- **…**" or "# "), so
 * the characters that only matter at the start of a line need no escape.
 */
const INLINE_MARKDOWN = /[\\`*_[\]<>#|~]/g;

/**
 * One line of free text (a title, a name, a reason, an event's sentence), made inert: it
 * cannot break into a new line, so it cannot fake an event or the "intact" header, and it
 * cannot fake bold, a link or HTML.
 */
export function markdownInline(text: string): string {
	return text.replace(BIDI_CONTROLS, '').replace(LINE_BREAKS, ' ').replace(INLINE_MARKDOWN, '\\$&');
}

/** A note stays Markdown, but quoted: every line of it, whatever breaks it, starts with "> ". */
function markdownQuote(body: string): string[] {
	return body
		.replace(BIDI_CONTROLS, '')
		.split(/\r\n|[\n\r\v\f\u0085\u2028\u2029]/)
		// Raw HTML could close the quote in a renderer that allows it ("</blockquote>").
		.map((line) => `  > ${line.replace(LINE_BREAKS, ' ').replace(/</g, '\\<')}`.trimEnd());
}

export function timelineMarkdown({ incident, events, verification }: Awaited<ReturnType<typeof exportTimeline>>): string {
	const playbook = incident.playbook;
	const lines = [
		`# ${incident.drill ? '[DRILL] ' : ''}${markdownInline(incident.title)}`,
		'',
		`- Declared: ${incident.declaredAt.toISOString()}`,
		`- First statement: ${incident.firstStatementAt ? `${firstStatementState(incident, Date.now()).text} (${incident.firstStatementAt.toISOString()})` : `not out yet (due ${incident.firstStatementDueAt.toISOString()})`}`,
		`- Severity: ${incident.severity} · Status: ${incident.status}`,
		`- Playbook: ${markdownInline(`${playbook.playbook.title} (${playbook.lang}/${playbook.id}, sha256 ${playbook.sha256})`)}`,
		`- Timeline: ${verification.intact ? `intact, ${verification.events} events verified` : `ALTERED at event ${verification.brokenAt} (${markdownInline(verification.reason)})`}`,
		'',
		'## Timeline (UTC)',
		''
	];
	for (const event of events) {
		lines.push(`- **${event.at.slice(0, 19).replace('T', ' ')}** — ${markdownInline(describeEvent(event))}`);
		if (event.type === 'note.added') lines.push('', ...markdownQuote(event.data.body), '');
	}
	return lines.join('\n') + '\n';
}
