// Playbooks on disk: `playbooks/<lang>/<id>.md`. Used by the server at start-up and by
// `npm run playbooks:check`, so that a team's CI and Holdline judge a file the same way.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { formatIssue, parsePlaybook } from './parse.ts';
import type { Playbook, PlaybookIssue } from '../../shared/playbooks.ts';

export interface PlaybookFile {
	file: string;
	source: string;
	playbook: Playbook;
}

export interface FileProblem {
	file: string;
	issue: PlaybookIssue;
}

/** Every `.md` file under the given paths (folders are walked), README files excepted. */
export function findPlaybookFiles(paths: string[]): string[] {
	const found: string[] = [];
	const walk = (target: string) => {
		const stat = statSync(target);
		if (stat.isDirectory()) {
			for (const entry of readdirSync(target).sort()) {
				const child = path.join(target, entry);
				if (statSync(child).isDirectory() || (entry.endsWith('.md') && entry.toLowerCase() !== 'readme.md')) walk(child);
			}
		} else found.push(target);
	};
	paths.forEach(walk);
	return found;
}

/**
 * Parses and validates files; returns the valid playbooks and every problem. A broken
 * file is left out, never stops the others.
 */
export function loadPlaybookFiles(files: string[]): { playbooks: PlaybookFile[]; problems: FileProblem[] } {
	const playbooks: PlaybookFile[] = [];
	const problems: FileProblem[] = [];
	const firstFile = new Map<string, string>();
	for (const file of files) {
		let source: string;
		try {
			source = readFileSync(file, 'utf8');
		} catch (error) {
			problems.push({ file, issue: { line: 1, message: `cannot read the file: ${(error as Error).message}` } });
			continue;
		}
		const result = parsePlaybook(source);
		if (!result.ok) {
			problems.push(...result.issues.map((issue) => ({ file, issue })));
			continue;
		}
		const { playbook } = result;
		const idLine = source.split('\n').findIndex((line) => /^id\s*:/.test(line)) + 1 || 1;
		const local: PlaybookIssue[] = [];
		if (path.basename(file, '.md') !== playbook.id) {
			local.push({ line: idLine, message: `id "${playbook.id}" does not match the file name`, hint: `name the file ${playbook.id}.md` });
		}
		const folder = path.basename(path.dirname(path.resolve(file)));
		if ((folder === 'en' || folder === 'fr') && folder !== playbook.lang) {
			local.push({ line: idLine, message: `lang "${playbook.lang}" but the file is in the "${folder}" folder` });
		}
		const key = `${playbook.lang}/${playbook.id}`;
		const first = firstFile.get(key);
		if (first) local.push({ line: idLine, message: `duplicate id "${playbook.id}" in ${playbook.lang}`, hint: `already used by ${first}` });
		if (local.length) {
			problems.push(...local.map((issue) => ({ file, issue })));
			continue;
		}
		firstFile.set(key, file);
		playbooks.push({ file, source, playbook });
	}
	return { playbooks, problems };
}

export function formatProblem(problem: FileProblem): string {
	return formatIssue(problem.file, problem.issue);
}
