// The playbook format (playbooks/README.md): YAML front matter, then markdown where every
// H2 is a phase, `- [ ] text @role +offset` lines are tasks and fenced `statement` /
// `inject` blocks are templates and drill injects. Pure: a string in, a playbook or a
// list of located issues out, so the server, the CLI and the editor share it.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { CHANNEL_LIMITS, CHANNELS, isChannel, textLength } from '../../shared/channels.ts';
import { LANGUAGES } from '../../shared/roles.ts';
import {
	approvalChainProblems,
	BUILT_IN_PLACEHOLDERS,
	CATEGORIES,
	TASK_ROLES,
	type ApprovalRole,
	type Category,
	type DrillInject,
	type ParseResult,
	type Playbook,
	type PlaybookIssue,
	type PlaybookPhase,
	type TaskRole
} from '../../shared/playbooks.ts';
import { m } from '../../paraglide/messages.js';

const FRONT_MATTER_KEYS = [
	'id',
	'title',
	'lang',
	'category',
	'severity',
	'approvals',
	'fast_track',
	'first_statement_within',
	'approval_sla',
	'update_every',
	'variables',
	'summary'
] as const;
/** Without `approvals`, statements follow the organization's default chain. */
const OPTIONAL_KEYS: readonly string[] = ['variables', 'approvals', 'fast_track', 'approval_sla', 'update_every'];
const REQUIRED_KEYS = FRONT_MATTER_KEYS.filter((k) => !OPTIONAL_KEYS.includes(k));

const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const VARIABLE = /^[a-z][a-z0-9_]*$/;
const DURATION = /^(\d+)(m|h|d)$/;
const TASK_START = /^\s*[-*+]\s+\[[ xX]?\]/;
const TASK = /^\s*[-*+]\s+\[ \]\s+(.+?)\s+@([A-Za-z-]+)\s+\+(\S+)\s*$/;
const FENCE = /^(`{3,}|~{3,})\s*(.*)$/;
const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const UNIT_MINUTES = { m: 1, h: 60, d: 24 * 60 } as const;

const known = (list: readonly string[]) => m.playbook_hint_known({ list: list.join(', ') });

/** "90m", "2h", "1d" → minutes; null when malformed. */
export function parseDuration(text: string): number | null {
	const match = DURATION.exec(text.trim());
	if (!match) return null;
	return Number(match[1]) * UNIT_MINUTES[match[2] as keyof typeof UNIT_MINUTES];
}

/** An approval step's wait before its reminder: "10m", "1h", or seconds for rehearsals and tests ("30s"). */
function parseSla(text: string): number | null {
	const seconds = /^(\d+)s$/.exec(text.trim());
	if (seconds) return Number(seconds[1]);
	const minutes = parseDuration(text);
	return minutes === null ? null : minutes * 60;
}

/** `key=value key="quoted value"` → record; null on anything else. */
function parseAttributes(text: string): Record<string, string> | null {
	const attributes: Record<string, string> = {};
	const pattern = /\s*([a-z_]+)=(?:"([^"]*)"|(\S+))/gy;
	let consumed = 0;
	for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
		attributes[match[1]!] = match[2] ?? match[3]!;
		consumed = pattern.lastIndex;
	}
	return text.slice(consumed).trim() === '' ? attributes : null;
}

class Collector {
	readonly issues: PlaybookIssue[] = [];
	add(line: number, message: string, hint?: string): void {
		this.issues.push(hint ? { line, message, hint } : { line, message });
	}
}

interface FrontMatter {
	values: Partial<Omit<Playbook, 'intro' | 'phases'>>;
	endLine: number;
}

function readFrontMatter(lines: string[], issues: Collector): FrontMatter | null {
	if (lines[0]?.trim() !== '---') {
		issues.add(1, m.playbook_issue_front_matter_missing(), m.playbook_hint_front_matter_missing());
		return null;
	}
	const end = lines.findIndex((line, i) => i > 0 && line.trim() === '---');
	if (end < 0) {
		issues.add(1, m.playbook_issue_front_matter_open(), m.playbook_hint_front_matter_open());
		return null;
	}
	const counter = new LineCounter();
	const doc: Document = parseDocument(lines.slice(1, end).join('\n'), { lineCounter: counter, uniqueKeys: true });
	const lineOf = (offset: number | undefined) => (offset === undefined ? 1 : counter.linePos(offset).line + 1);
	for (const error of doc.errors) issues.add(lineOf(error.pos[0]), m.playbook_issue_front_matter_yaml({ detail: error.message.split('\n')[0] ?? '' }));
	if (doc.errors.length) return null;
	if (!isMap(doc.contents)) {
		issues.add(2, m.playbook_issue_front_matter_not_map());
		return null;
	}

	const values: FrontMatter['values'] = {};
	const seen = new Map<string, number>();
	for (const pair of doc.contents.items) {
		const key = isScalar(pair.key) ? String(pair.key.value) : '';
		const line = lineOf(isScalar(pair.key) ? pair.key.range?.[0] : undefined);
		seen.set(key, line);
		const node = pair.value;
		const scalar = isScalar(node) ? node.value : undefined;
		const text = typeof scalar === 'string' ? scalar.trim() : typeof scalar === 'number' ? String(scalar) : '';
		const list = () => {
			if (!isSeq(node)) return null;
			return node.items.map((item) => (isScalar(item) ? String(item.value) : ''));
		};
		switch (key) {
			case 'id':
				if (!ID.test(text)) issues.add(line, m.playbook_issue_id_invalid({ id: text }), m.playbook_hint_id_format());
				else values.id = text;
				break;
			case 'title':
			case 'summary':
				if (!text) issues.add(line, m.playbook_issue_field_empty({ field: key }));
				else values[key] = text;
				break;
			case 'lang':
				if (!(LANGUAGES as readonly string[]).includes(text)) {
					issues.add(line, m.playbook_issue_language_unknown({ value: text }), known(LANGUAGES));
				} else values.lang = text as Playbook['lang'];
				break;
			case 'category':
				if (!(CATEGORIES as readonly string[]).includes(text)) {
					issues.add(line, m.playbook_issue_category_unknown({ value: text }), known(CATEGORIES));
				} else values.category = text as Category;
				break;
			case 'severity':
				if (typeof scalar !== 'number' || !Number.isInteger(scalar) || scalar < 1 || scalar > 4) {
					issues.add(line, m.playbook_issue_severity_invalid({ value: text }));
				} else values.severity = scalar as Playbook['severity'];
				break;
			case 'approvals': {
				const roles = list();
				if (!roles) {
					issues.add(line, m.playbook_issue_approvals_not_list(), m.playbook_hint_example({ example: 'approvals: [legal, executive]' }));
					break;
				}
				const problems = approvalChainProblems(roles);
				for (const problem of problems) issues.add(line, problem.message, problem.hint);
				if (!problems.length) values.approvals = roles as ApprovalRole[];
				break;
			}
			case 'fast_track': {
				// The steps that remain when a statement only fills in a pre-cleared line.
				const roles = list();
				if (!roles) {
					issues.add(line, m.playbook_issue_fast_track_not_list(), m.playbook_hint_example({ example: 'fast_track: [executive]' }));
					break;
				}
				const problems = approvalChainProblems(roles);
				for (const problem of problems) issues.add(line, problem.message, problem.hint);
				if (!problems.length) values.fastTrack = roles as ApprovalRole[];
				break;
			}
			case 'first_statement_within': {
				const minutes = parseDuration(text);
				if (minutes === null || minutes === 0) {
					issues.add(line, m.playbook_issue_duration_invalid({ value: text }), m.playbook_hint_duration_format());
				} else values.firstStatementWithinMinutes = minutes;
				break;
			}
			case 'approval_sla': {
				const seconds = parseSla(text);
				if (!seconds) issues.add(line, m.playbook_issue_duration_invalid({ value: text }), m.playbook_hint_sla_format());
				else values.approvalSlaSeconds = seconds;
				break;
			}
			case 'update_every': {
				// One cadence for every severity, or one per severity: { 1: 30m, 2: 1h }.
				const example = '{ 1: 30m, 2: 1h }';
				const every: Partial<Record<number, number>> = {};
				let valid = true;
				if (isMap(node)) {
					for (const item of node.items) {
						const severity = isScalar(item.key) ? Number(item.key.value) : NaN;
						const minutes = isScalar(item.value) ? parseDuration(String(item.value.value)) : null;
						if (![1, 2, 3, 4].includes(severity) || !minutes) valid = false;
						else every[severity] = minutes;
					}
				} else {
					const minutes = parseDuration(text);
					if (!minutes) valid = false;
					else for (const severity of [1, 2, 3, 4]) every[severity] = minutes;
				}
				if (!valid) issues.add(line, m.playbook_issue_update_every_invalid({ example }));
				else values.updateEveryMinutes = every;
				break;
			}
			case 'variables': {
				const names = list();
				if (!names) {
					issues.add(line, m.playbook_issue_variables_not_list(), m.playbook_hint_example({ example: 'variables: [topic, product]' }));
					break;
				}
				for (const name of names) {
					if (!VARIABLE.test(name)) {
						issues.add(line, m.playbook_issue_variable_invalid({ name }), m.playbook_hint_variable_format());
					} else if ((BUILT_IN_PLACEHOLDERS as readonly string[]).includes(name)) {
						issues.add(line, m.playbook_issue_variable_built_in({ name }));
					}
				}
				if (new Set(names).size !== names.length) issues.add(line, m.playbook_issue_variable_twice());
				values.variables = names;
				break;
			}
			default:
				issues.add(line, m.playbook_issue_field_unknown({ field: key }), known(FRONT_MATTER_KEYS));
		}
	}
	for (const key of REQUIRED_KEYS) {
		if (!seen.has(key)) issues.add(1, m.playbook_issue_field_missing({ field: key }));
	}
	values.variables ??= [];
	return { values, endLine: end + 1 };
}

interface Fence {
	kind: 'statement' | 'inject' | 'other';
	attributes: Record<string, string>;
	marker: string;
	info: string;
	line: number;
	body: string[];
}

export function parsePlaybook(source: string): ParseResult {
	const issues = new Collector();
	const lines = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
	const front = readFrontMatter(lines, issues);
	if (!front) return { ok: false, issues: issues.issues };

	const intro: string[] = [];
	const phases: PlaybookPhase[] = [];
	const notes: string[][] = [];
	let fence: Fence | null = null;

	const current = () => phases[phases.length - 1];
	// Phases with task lines, even malformed ones: those are not reported as empty too.
	const taskLines = new Set<PlaybookPhase>();
	const prose = (text: string) => (current() ? notes[notes.length - 1]! : intro).push(text);

	for (let i = front.endLine; i < lines.length; i++) {
		const line = lines[i]!;
		const number = i + 1;
		if (fence) {
			if (line.trim() === fence.marker) {
				closeFence(fence, current(), issues);
				if (fence.kind === 'other') prose([fence.marker + fence.info, ...fence.body, fence.marker].join('\n'));
				fence = null;
			} else fence.body.push(line);
			continue;
		}
		const opening = FENCE.exec(line);
		if (opening) {
			const [kind, ...rest] = opening[2]!.trim().split(/\s+/);
			const special = kind === 'statement' || kind === 'inject';
			const attributes = special ? parseAttributes(rest.join(' ')) : {};
			if (!attributes) {
				issues.add(number, m.playbook_issue_attributes_unreadable({ kind: kind ?? '' }), m.playbook_hint_attributes_format());
			}
			fence = {
				kind: special ? (kind as 'statement' | 'inject') : 'other',
				attributes: attributes ?? {},
				marker: opening[1]!,
				info: opening[2]!,
				line: number,
				body: []
			};
			continue;
		}
		if (/^##\s/.test(line) && !/^###/.test(line)) {
			phases.push({ title: line.replace(/^##\s+/, '').trim(), notes: '', tasks: [], statements: [], injects: [], line: number });
			notes.push([]);
			continue;
		}
		if (TASK_START.test(line)) {
			if (current()) taskLines.add(current()!);
			readTask(line, number, current(), issues);
			continue;
		}
		prose(line);
	}
	if (fence) issues.add(
			fence.line,
			fence.kind === 'other' ? m.playbook_issue_code_block_not_closed() : m.playbook_issue_block_not_closed({ kind: fence.kind }),
			m.playbook_hint_close_with({ marker: fence.marker })
		);

	phases.forEach((phase, i) => (phase.notes = notes[i]!.join('\n').trim()));
	checkContent(front.values, phases, taskLines, issues);
	if (issues.issues.length) {
		issues.issues.sort((a, b) => a.line - b.line);
		return { ok: false, issues: issues.issues };
	}
	return {
		ok: true,
		issues: [],
		playbook: { ...(front.values as Omit<Playbook, 'intro' | 'phases'>), intro: intro.join('\n').trim(), phases }
	};
}

function readTask(line: string, number: number, phase: PlaybookPhase | undefined, issues: Collector): void {
	if (!phase) {
		issues.add(number, m.playbook_issue_task_before_phase(), m.playbook_hint_start_phase());
		return;
	}
	if (/^\s*[-*+]\s+\[[xX]\]/.test(line)) {
		issues.add(number, m.playbook_issue_task_ticked(), m.playbook_hint_task_unticked());
		return;
	}
	const match = TASK.exec(line);
	if (!match) {
		issues.add(number, m.playbook_issue_task_malformed(), m.playbook_hint_task_format());
		return;
	}
	const [, text, role, offset] = match as unknown as [string, string, string, string];
	let ok = true;
	if (!(TASK_ROLES as readonly string[]).includes(role)) {
		issues.add(number, m.playbook_issue_role_unknown({ role }), known(TASK_ROLES));
		ok = false;
	}
	const minutes = parseDuration(offset);
	if (minutes === null) {
		issues.add(number, m.playbook_issue_offset_invalid({ offset }), m.playbook_hint_offset_format());
		ok = false;
	}
	if (ok) phase.tasks.push({ text, role: role as TaskRole, offsetMinutes: minutes!, line: number });
}

function closeFence(fence: Fence, phase: PlaybookPhase | undefined, issues: Collector): void {
	if (fence.kind === 'other') return;
	const { attributes: a, line } = fence;
	const body = fence.body.join('\n').trim();
	if (!phase) {
		issues.add(line, m.playbook_issue_block_before_phase({ kind: fence.kind }), m.playbook_hint_inside_phase());
		return;
	}
	const allowed = fence.kind === 'statement' ? ['id', 'channel', 'title'] : ['at', 'channel', 'from', 'outlet', 'deadline', 'subject'];
	for (const key of Object.keys(a)) {
		if (!allowed.includes(key)) issues.add(line, m.playbook_issue_attribute_unknown({ key, kind: fence.kind }), known(allowed));
	}
	if (!a.channel) issues.add(line, m.playbook_issue_block_needs_channel({ kind: fence.kind }), known(CHANNELS));
	else if (!isChannel(a.channel)) issues.add(line, m.playbook_issue_channel_unknown({ channel: a.channel }), known(CHANNELS));
	if (!body) issues.add(line, m.playbook_issue_block_empty({ kind: fence.kind }));

	if (fence.kind === 'statement') {
		if (!a.id || !ID.test(a.id)) issues.add(line, m.playbook_issue_template_needs_id(), m.playbook_hint_example({ example: 'id=first-response' }));
		if (!a.title) issues.add(line, m.playbook_issue_template_needs_title(), m.playbook_hint_example({ example: 'title="First response"' }));
		if (a.id && ID.test(a.id) && a.title && a.channel && isChannel(a.channel) && body) {
			phase.statements.push({ id: a.id, channel: a.channel, title: a.title, body, line });
		}
		return;
	}
	// Seconds are accepted as for `approval_sla`: a rehearsal (or a test) may want injects seconds apart.
	const at = a.at?.startsWith('+') ? parseSla(a.at.slice(1)) : null;
	if (at === null) issues.add(line, a.at ? m.playbook_issue_inject_time_invalid({ value: a.at }) : m.playbook_issue_inject_needs_time());
	if (at !== null && a.channel && isChannel(a.channel) && body) {
		const inject: DrillInject = { atSeconds: at, atMinutes: at / 60, channel: a.channel, from: a.from ?? null, body, line };
		for (const key of ['outlet', 'deadline', 'subject'] as const) if (a[key]) inject[key] = a[key];
		phase.injects.push(inject);
	}
}

function checkContent(
	values: FrontMatter['values'],
	phases: PlaybookPhase[],
	taskLines: Set<PlaybookPhase>,
	issues: Collector
): void {
	if (phases.length === 0) {
		issues.add(1, m.playbook_issue_no_phase(), m.playbook_hint_phase_lines());
		return;
	}
	const placeholders = new Set<string>([...BUILT_IN_PLACEHOLDERS, ...(values.variables ?? [])]);
	const statementIds = new Map<string, number>();
	for (const phase of phases) {
		if (!phase.title) issues.add(phase.line, m.playbook_issue_phase_untitled());
		if (!taskLines.has(phase)) {
			issues.add(phase.line, m.playbook_issue_phase_empty({ title: phase.title }), m.playbook_hint_add_task());
		}
		const texts: { text: string; line: number }[] = [
			...phase.tasks,
			...phase.statements.map((s) => ({ text: s.body, line: s.line })),
			...phase.injects.map((s) => ({ text: s.body, line: s.line }))
		];
		for (const { text, line } of texts) {
			for (const [, name] of text.matchAll(PLACEHOLDER)) {
				if (!placeholders.has(name!)) {
					issues.add(line, m.playbook_issue_placeholder_unknown({ placeholder: `{{${name}}}` }), m.playbook_hint_placeholders({ known: known([...placeholders]) }));
				}
			}
		}
		for (const statement of phase.statements) {
			const first = statementIds.get(statement.id);
			if (first !== undefined) issues.add(statement.line, m.playbook_issue_statement_id_twice({ id: statement.id }), m.playbook_hint_first_used({ line: first }));
			else statementIds.set(statement.id, statement.line);
			const limit = CHANNEL_LIMITS[statement.channel];
			const length = textLength(statement.body.replace(PLACEHOLDER, ''));
			if (limit !== null && length > limit) {
				issues.add(
					statement.line,
					m.playbook_issue_template_too_long({ id: statement.id, length, limit, channel: statement.channel }),
					m.playbook_hint_shorten()
				);
			}
		}
	}
}

/** `file:line: message — hint`, the way compilers print, so editors can jump to it. */
export function formatIssue(file: string, issue: PlaybookIssue): string {
	return `${file}:${issue.line}: ${issue.message}${issue.hint ? ` — ${issue.hint}` : ''}`;
}
