// The test command's build step: `npm run build` unless the build is newer than every source
// (server/build-state.ts). On CI's fresh clone `npm ci` has just built it.
import { spawnSync } from 'node:child_process';
import { buildIsStale } from '../server/build-state.ts';

if (buildIsStale()) {
	const result = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
	process.exit(result.status ?? 1);
}
console.log('The build is newer than every source: not building it again.');
