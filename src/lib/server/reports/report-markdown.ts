// The after-action report as Markdown, in the request's language: the same figures as the
// page, each free text made inert (export.ts's markdownInline), the lessons quoted as written.
import { m } from '../../paraglide/messages.js';
import { channelLabel } from '../../shared/channels.ts';
import { statusLabel } from '../../shared/incidents.ts';
import { outcomeLabel, reportDuration, responseKindLabel } from '../../shared/report-text.ts';
import { exportStamp, markdownInline } from '../incidents/export.ts';
import type { IncidentReport } from './incident-report.ts';

const row = (cells: (string | number)[]) => `| ${cells.map((c) => String(c).replace(/\|/g, '\\|')).join(' | ')} |`;
const table = (head: string[], rows: (string | number)[][]) => [row(head), row(head.map(() => '---')), ...rows.map(row)];

export function reportMarkdown({ incident, report, verification, lessons }: IncidentReport, timeZone = 'UTC'): string {
	const first = report.firstStatement;
	const title = incident.drill ? m.report_title_drill({ title: incident.title }) : m.report_title({ title: incident.title });
	const lines = [
		`# ${markdownInline(title)}`,
		'',
		m.report_md_generated({ events: report.events, chain: verification.intact ? m.report_chain_intact() : m.report_chain_broken() }),
		'',
		`## ${m.report_first_heading()}`,
		'',
		first.atMs === null
			? m.report_first_none({ target: reportDuration(first.targetMs) })
			: `${m.report_first_value({ duration: reportDuration(first.atMs), target: reportDuration(first.targetMs) })} — ${first.met ? m.report_first_met() : m.report_first_missed({ duration: reportDuration(first.atMs - first.targetMs) })}`,
		'',
		`## ${m.report_approvals_heading()}`,
		'',
		...(report.approvals.length
			? table(
					[m.report_col_statement(), m.report_col_version(), m.report_col_step(), m.report_col_wait(), m.report_col_outcome()],
					report.approvals.map((a) => [markdownInline(a.title), a.version, `${a.step} (${markdownInline(a.role)})`, reportDuration(a.waitMs), outcomeLabel(a.outcome)])
				)
			: [m.report_approvals_none()]),
		''
	];
	if (incident.drill) {
		lines.push(`## ${m.report_injects_heading()}`, '', m.report_injects_definition(), '');
		if (report.pauses.count) lines.push(m.report_pauses({ count: report.pauses.count, duration: reportDuration(report.pauses.totalMs) }), '');
		lines.push(
			...(report.injects.length
				? table(
						[m.report_col_inject(), m.report_col_arrived(), m.report_col_response()],
						report.injects.map((i) => [
							`${i.inject ?? '+'} · ${channelLabel(i.channel)}${i.from ? ` · ${markdownInline(i.from)}` : ''}`,
							`+${reportDuration(i.arrivedMs)}`,
							i.responseMs === null ? m.report_no_response() : `${reportDuration(i.responseMs)} (${responseKindLabel(i.responseKind!)})`
						])
					)
				: [m.report_injects_none()]),
			''
		);
	}
	lines.push(
		`## ${m.report_tasks_heading()}`,
		'',
		...table(
			[m.report_col_phase(), m.report_col_done(), m.report_col_skipped(), m.report_col_late(), m.report_col_total()],
			report.phases.map((p) => [markdownInline(p.title), p.done, p.skipped, p.late, p.total])
		),
		'',
		`## ${m.report_course_heading()}`,
		'',
		...report.severity.map((s) => `- +${reportDuration(s.atMs)} · ${m.report_severity_axis()} ${s.severity}`),
		...report.status.map((s) => `- +${reportDuration(s.atMs)} · ${m.report_course_status_label()} ${statusLabel(s.status)}`),
		'',
		`## ${m.report_lessons_heading()}`,
		''
	);
	if (lessons.body.trim()) {
		lines.push(...lessons.body.split(/\r?\n/).map((line) => `> ${line.replace(/</g, '\\<')}`.trimEnd()));
		if (lessons.updatedAt) lines.push('', m.report_lessons_saved_by({ name: markdownInline(lessons.updatedByName ?? '—'), at: exportStamp(lessons.updatedAt, timeZone) }));
	} else lines.push(m.report_lessons_empty());
	return `${lines.join('\n')}\n`;
}
