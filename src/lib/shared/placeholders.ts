// Placeholders of pre-cleared lines (`{{product}}`) and the proof that a text is a cleared
// line with only its placeholders filled in: what lets a version take the fast track. Pure
// and isomorphic: the line form, the war room's editor and the server share one matcher,
// and the server's answer is the one that counts.
import { m } from '../paraglide/messages.js';

/** More than any real line needs; it bounds the matcher's work on hostile input. */
export const MAX_PLACEHOLDERS = 40;
export const MAX_NAME_LENGTH = 64;
/** A filled-in value: a product name, a date, a page address — never a paragraph. */
export const MAX_VALUE_LENGTH = 200;

const NAME = /^[\p{L}\p{N}_.-]+$/u;
/** Control and format characters (U+200B, U+202E…), and line and paragraph separators. */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

export type PlaceholderProblem =
	| { kind: 'unclosed'; at: number }
	| { kind: 'stray_close'; at: number }
	| { kind: 'empty'; at: number }
	| { kind: 'invalid_name'; at: number; name: string }
	| { kind: 'too_many'; at: number };

type Segment = { literal: string } | { name: string };

interface ParsedLine {
	/** Literal text and placeholders alternating: literal, name, literal, …, literal. */
	literals: string[];
	names: string[];
	problems: PlaceholderProblem[];
}

/** One pass over the text; no regular expression runs over the whole of it. */
function parseLine(text: string): ParsedLine {
	const segments: Segment[] = [];
	const problems: PlaceholderProblem[] = [];
	let literal = '';
	let i = 0;
	while (i < text.length) {
		const open = text.indexOf('{{', i);
		const close = text.indexOf('}}', i);
		if (close !== -1 && (open === -1 || close < open)) {
			problems.push({ kind: 'stray_close', at: close });
			literal += text.slice(i, close + 2);
			i = close + 2;
			continue;
		}
		if (open === -1) {
			literal += text.slice(i);
			break;
		}
		literal += text.slice(i, open);
		// `{{{name}}}`: the innermost pair is the placeholder, the extra brace is text.
		let start = open;
		while (text[start + 2] === '{') {
			literal += '{';
			start += 1;
		}
		const end = text.indexOf('}}', start + 2);
		const nextOpen = text.indexOf('{{', start + 2);
		if (end === -1 || (nextOpen !== -1 && nextOpen < end)) {
			problems.push({ kind: 'unclosed', at: start });
			literal += text.slice(start, start + 2);
			i = start + 2;
			continue;
		}
		const name = text.slice(start + 2, end);
		if (!name) problems.push({ kind: 'empty', at: start });
		else if (name.length > MAX_NAME_LENGTH || !NAME.test(name)) problems.push({ kind: 'invalid_name', at: start, name: name.slice(0, MAX_NAME_LENGTH) });
		segments.push({ literal }, { name });
		literal = '';
		i = end + 2;
	}
	segments.push({ literal });
	const literals = segments.filter((s): s is { literal: string } => 'literal' in s).map((s) => s.literal);
	const names = segments.filter((s): s is { name: string } => 'name' in s).map((s) => s.name);
	if (names.length > MAX_PLACEHOLDERS) problems.push({ kind: 'too_many', at: 0 });
	return { literals, names, problems };
}

/** What is wrong with the placeholders of a line's text: nothing when every `{{name}}` is well formed. */
export function placeholderProblems(text: string): PlaceholderProblem[] {
	return parseLine(text).problems;
}

/** The distinct placeholder names of a text, in the order they first appear (malformed ones left out). */
export function placeholderNames(text: string): string[] {
	const { names, problems } = parseLine(text);
	const bad = new Set(problems.flatMap((p) => (p.kind === 'invalid_name' ? [p.name] : [])));
	return [...new Set(names)].filter((name) => name && !bad.has(name));
}

/** The text with each `{{name}}` that has a value replaced by it; the others left as they are. */
export function fillPlaceholders(text: string, values: Record<string, string>): string {
	const { literals, names } = parseLine(text);
	let out = literals[0]!;
	names.forEach((name, i) => {
		out += (Object.hasOwn(values, name) ? values[name] : `{{${name}}}`) + literals[i + 1]!;
	});
	return out;
}

export type ValueProblem = 'empty' | 'too_long' | 'line_break' | 'braces' | 'hidden_character';

/** Why a filled-in value cannot stand in a cleared line, or null. */
export function valueProblem(value: string): ValueProblem | null {
	if (!value) return 'empty';
	if (value.length > MAX_VALUE_LENGTH) return 'too_long';
	if (/[\n\r\u2028\u2029]/.test(value)) return 'line_break';
	if (value.includes('{{') || value.includes('}}')) return 'braces';
	if (HIDDEN.test(value)) return 'hidden_character';
	return null;
}

export type PlaceholderProof =
	| { ok: true; values: Record<string, string> }
	/** The cleared line itself has malformed placeholders. */
	| { ok: false; reason: 'line_malformed'; problems: PlaceholderProblem[] }
	/** The text outside the placeholders differs: from `at` (an index in the NFC candidate), `expected` was due. */
	| { ok: false; reason: 'text_differs'; at: number; expected: string; found: string }
	| { ok: false; reason: 'value_invalid'; name: string; problem: ValueProblem }
	/** The same placeholder got two values. */
	| { ok: false; reason: 'value_inconsistent'; name: string }
	/** The search gave up: no real line and text need this much work. */
	| { ok: false; reason: 'too_complex' };

const SNIPPET = 24;
const snippet = (text: string, at: number) => text.slice(at, at + SNIPPET);

/** Index of the first difference between `a` and `b`, or -1 when they are equal. */
function firstDifference(a: string, b: string): number {
	const n = Math.min(a.length, b.length);
	for (let i = 0; i < n; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) return i;
	return a.length === b.length ? -1 : n;
}

/**
 * Steps (positions tried, characters compared) the search may spend: a 10,000-character
 * hostile text gives up within milliseconds; a real line and text need a few thousand.
 */
const BUDGET = 300_000;

/**
 * Does `candidate` differ from `lineText` only in the values of its placeholders? Both are
 * NFC-normalized; every character outside the placeholders must be the same code point (a
 * changed space, a Cyrillic "а" for a Latin "a", a zero-width space all fail); a placeholder
 * used twice gets the same value; each value passes `valueProblem`.
 *
 * Two passes. The first reads the literal parts as a glob (`L0 * L1 * … * Ln`), which is
 * decided by matching each literal at its leftmost place — linear, and it says where the
 * text departs from the line. The second searches for values that are valid and agree
 * (a depth-first search whose failures are remembered per position and binding, within a
 * budget); when there are none, the leftmost reading names the first bad value.
 */
export function placeholderProof(lineText: string, candidate: string): PlaceholderProof {
	const line = parseLine(lineText.normalize('NFC'));
	if (line.problems.length) return { ok: false, reason: 'line_malformed', problems: line.problems };
	const text = candidate.normalize('NFC');
	const { literals, names } = line;
	const last = literals.length - 1;

	if (names.length === 0) {
		const at = firstDifference(literals[0]!, text);
		return at === -1 ? { ok: true, values: {} } : { ok: false, reason: 'text_differs', at, expected: snippet(literals[0]!, at), found: snippet(text, at) };
	}

	// Pass 1: the literal parts, leftmost.
	const head = literals[0]!;
	const tail = literals[last]!;
	const headAt = firstDifference(head, text.slice(0, head.length));
	if (headAt !== -1) return { ok: false, reason: 'text_differs', at: headAt, expected: snippet(head, headAt), found: snippet(text, headAt) };
	const tailStart = text.length - tail.length;
	if (tailStart < head.length || !text.endsWith(tail)) {
		// Where the ending departs, read from the end.
		let k = 0;
		while (k < tail.length && k < text.length - head.length && tail[tail.length - 1 - k] === text[text.length - 1 - k]) k++;
		const at = Math.max(head.length, text.length - k - 1);
		return { ok: false, reason: 'text_differs', at, expected: tail.slice(Math.max(0, tail.length - k - SNIPPET), tail.length - k), found: snippet(text, at) };
	}
	const leftmost: string[] = [];
	let pos = head.length;
	for (let k = 1; k < last; k++) {
		const found = text.indexOf(literals[k]!, pos);
		if (found === -1 || found + literals[k]!.length > tailStart) {
			return { ok: false, reason: 'text_differs', at: pos, expected: snippet(literals[k]!, 0), found: snippet(text, pos) };
		}
		leftmost.push(text.slice(pos, found));
		pos = found + literals[k]!.length;
	}
	leftmost.push(text.slice(pos, tailStart));

	// Pass 2: valid, agreeing values. Where a value starting at i must end at the latest
	// (before a hidden character or a brace pair), computed once from the right.
	const n = text.length;
	const stop = new Int32Array(n + 2).fill(n);
	for (let i = n - 1; i >= 0; i--) {
		const pair = (text[i] === '{' && text[i + 1] === '{') || (text[i] === '}' && text[i + 1] === '}');
		stop[i] = HIDDEN.test(text[i]!) ? i : pair ? Math.min(i + 1, stop[i + 1]!) : stop[i + 1]!;
	}
	// Lengths that still fit: the literals to come, and one to MAX_VALUE_LENGTH characters per value.
	const after = literals.map((_, k) => literals.slice(k + 1).reduce((sum, l) => sum + l.length, 0));
	// The names bound before k and used again from k: the only bindings the rest depends on.
	const carried = names.map((_, k) => [...new Set(names.slice(k))].filter((name) => names.slice(0, k).includes(name)));
	const failed = new Set<string>();
	let spent = 0;
	const bound = new Map<string, string>();
	const search = (k: number, start: number): boolean => {
		const remaining = names.length - k;
		const room = n - start - after[k]!;
		if (room < remaining || room > remaining * MAX_VALUE_LENGTH) return false;
		const name = names[k]!;
		const literal = literals[k + 1]!;
		const lastValue = k === names.length - 1;
		const key = carried[k]!.length ? `${k}:${start}:${JSON.stringify(carried[k]!.map((c) => bound.get(c)))}` : `${k}:${start}`;
		if (failed.has(key)) return false;
		const known = bound.get(name);
		const ends: number[] = [];
		if (known !== undefined) {
			spent += known.length;
			if (text.startsWith(known, start)) ends.push(start + known.length);
		} else if (lastValue) {
			ends.push(tailStart);
		} else {
			const limit = Math.min(start + MAX_VALUE_LENGTH, stop[start]!, n);
			// The next places where the following literal starts, found natively.
			for (let end = start + 1; end <= limit; end++) {
				spent += 1;
				if (literal) {
					const found = text.indexOf(literal, end);
					if (found === -1 || found > limit) break;
					end = found;
				}
				ends.push(end);
			}
		}
		for (const end of ends) {
			if (spent > BUDGET) return false;
			spent += literal.length + 1;
			// The last value ends where the line's ending starts; the others before their literal.
			if (lastValue ? end !== tailStart : !text.startsWith(literal, end)) continue;
			const value = text.slice(start, end);
			if (valueProblem(value)) continue;
			const fresh = known === undefined;
			if (fresh) bound.set(name, value);
			if (lastValue || search(k + 1, end + literal.length)) return true;
			if (fresh) bound.delete(name);
		}
		if (spent <= BUDGET) failed.add(key);
		return false;
	};
	if (search(0, head.length)) return { ok: true, values: Object.fromEntries(bound) };
	if (spent > BUDGET) return { ok: false, reason: 'too_complex' };

	// No reading works: name the first bad value of the leftmost one.
	const seen = new Map<string, string>();
	for (const [k, name] of names.entries()) {
		const value = leftmost[k]!;
		const problem = valueProblem(value);
		if (problem) return { ok: false, reason: 'value_invalid', name, problem };
		if (seen.has(name) && seen.get(name) !== value) return { ok: false, reason: 'value_inconsistent', name };
		seen.set(name, value);
	}
	return { ok: false, reason: 'value_inconsistent', name: names[0]! };
}

/** A placeholder problem of a line's text, in the reader's language. */
export function placeholderProblemText(problem: PlaceholderProblem): string {
	switch (problem.kind) {
		case 'unclosed':
			return m.lines_placeholder_unclosed({ at: problem.at + 1, example: '{{name}}' });
		case 'stray_close':
			return m.lines_placeholder_stray_close({ at: problem.at + 1, close: '}}' });
		case 'empty':
			return m.lines_placeholder_empty({ at: problem.at + 1, example: '{{product}}' });
		case 'invalid_name':
			return m.lines_placeholder_invalid_name({ name: problem.name });
		case 'too_many':
			return m.lines_placeholder_too_many({ max: MAX_PLACEHOLDERS });
	}
}

const VALUE_PROBLEM_TEXT: Record<ValueProblem, (inputs: { placeholder: string; max: number }) => string> = {
	empty: m.lines_value_empty,
	too_long: m.lines_value_too_long,
	line_break: m.lines_value_line_break,
	braces: m.lines_value_braces,
	hidden_character: m.lines_value_hidden
};

/** Why a text is not the cleared line with its placeholders filled, in the reader's language. */
export function proofFailureText(proof: Exclude<PlaceholderProof, { ok: true }>): string {
	switch (proof.reason) {
		case 'line_malformed':
			return placeholderProblemText(proof.problems[0]!);
		case 'text_differs':
			return m.lines_proof_text_differs({ at: proof.at + 1, expected: proof.expected, found: proof.found });
		case 'value_invalid':
			return VALUE_PROBLEM_TEXT[proof.problem]({ placeholder: `{{${proof.name}}}`, max: MAX_VALUE_LENGTH });
		case 'value_inconsistent':
			return m.lines_proof_value_inconsistent({ placeholder: `{{${proof.name}}}` });
		case 'too_complex':
			return m.lines_proof_too_complex();
	}
}
