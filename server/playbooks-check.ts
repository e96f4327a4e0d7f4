// `npm run playbooks:check [paths…]`: validates playbooks like the server does, prints
// `file:line: message — hint` for each problem, exits 1 when there is any.
import path from 'node:path';
import { findPlaybookFiles, formatProblem, loadPlaybookFiles } from '../src/lib/server/playbooks/files.ts';

const args = process.argv.slice(2);
const paths = args.length ? args : ['playbooks'];
let files: string[];
try {
	files = findPlaybookFiles(paths);
} catch (error) {
	console.error(`playbooks:check: ${(error as Error).message}`);
	process.exit(1);
}
const { playbooks, problems } = loadPlaybookFiles(files.map((f) => {
	const relative = path.relative(process.cwd(), f);
	return relative.startsWith('..') ? f : relative;
}));
for (const problem of problems) console.error(formatProblem(problem));
const broken = new Set(problems.map((p) => p.file)).size;
console.log(
	`${files.length} playbook file${files.length === 1 ? '' : 's'} checked: ${playbooks.length} valid` +
		(problems.length ? `, ${broken} with ${problems.length} problem${problems.length === 1 ? '' : 's'}.` : '.')
);
process.exit(problems.length || files.length === 0 ? 1 : 0);
