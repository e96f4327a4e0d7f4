// The timeline as a document: Markdown for people, JSON (with the hash chain) for machines.
import type { Executor } from '../db/index.ts';
import type { Actor } from '../policy.ts';
import { firstStatementState } from '../../shared/deadlines.ts';
import { describeEvent } from '../../shared/timeline-text.ts';
import { m } from '../../paraglide/messages.js';
import { statusLabel } from '../../shared/incidents.ts';
import { findIncident } from './access.ts';
import { readTimeline, verifyTimeline } from './timeline.ts';
import { peopleForReader } from '../protection/people.ts';
import { redactEvent } from '../protection/redact.ts';

export async function exportTimeline(db: Executor, actor: Actor, incidentId: string) {
	const incident = await findIncident(db, actor, incidentId);
	// A protected person's name is replaced for readers they do not allow (those events say `redacted`).
	const people = await peopleForReader(db, actor, incident.id);
	const events = (await readTimeline(db, incident.id)).map((e) => redactEvent(e, people));
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

const stamps = new Map<string, Intl.DateTimeFormat>();
/**
 * "2026-12-01 07:41:09" in the reader's time zone: a record's time to the second, 24-hour,
 * sorting as text and read alike in every language.
 */
export function exportStamp(instant: string | Date, timeZone: string): string {
	let format = stamps.get(timeZone);
	if (!format) {
		const two = '2-digit';
		format = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: two, day: two, hour: two, minute: two, second: two, hourCycle: 'h23', timeZone });
		stamps.set(timeZone, format);
	}
	const part = Object.fromEntries(format.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
	return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}:${part.second}`;
}

/**
 * The timeline for people, in the request's language (its sentences, headers and the first
 * statement's delay) and the reader's time zone (UTC unless told).
 */
export function timelineMarkdown({ incident, events, verification }: Awaited<ReturnType<typeof exportTimeline>>, timeZone = 'UTC'): string {
	const playbook = incident.playbook;
	const at = (instant: Date) => exportStamp(instant, timeZone);
	const lines = [
		`# ${incident.drill ? `${m.export_drill_mark()} ` : ''}${markdownInline(incident.title)}`,
		'',
		`- ${m.export_declared({ at: at(incident.declaredAt) })}`,
		`- ${
			incident.firstStatementAt
				? m.export_first_statement_out({ state: firstStatementState(incident, Date.now()).text, at: at(incident.firstStatementAt) })
				: m.export_first_statement_pending({ due: at(incident.firstStatementDueAt) })
		}`,
		`- ${m.export_severity_status({ severity: incident.severity, status: statusLabel(incident.status) })}`,
		`- ${m.export_playbook({ playbook: markdownInline(`${playbook.playbook.title} (${playbook.lang}/${playbook.id}, sha256 ${playbook.sha256})`) })}`,
		`- ${
			verification.intact
				? m.export_timeline_intact({ count: verification.events })
				: m.export_timeline_altered({ at: verification.brokenAt, reason: markdownInline(verification.reason) })
		}`,
		'',
		`## ${m.export_timeline_heading({ zone: markdownInline(timeZone) })}`,
		''
	];
	for (const event of events) {
		lines.push(`- **${exportStamp(event.at, timeZone)}** — ${markdownInline(describeEvent(event, { drill: incident.drill }))}`);
		if (event.type === 'note.added') lines.push('', ...markdownQuote(event.data.body), '');
	}
	return lines.join('\n') + '\n';
}
