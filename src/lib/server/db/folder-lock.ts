// PGlite serves one process: a second process opening the same folder would not fail, it
// would silently see another state of the database and overwrite the first one's files.
// The first process therefore claims the folder with a lock file holding its pid (created
// with O_EXCL, so two starting at once cannot both win); another process refuses to start,
// saying which process holds it. A lock left by a process that died (SIGKILL, power loss)
// is taken over: its pid no longer runs.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';

export const LOCK_FILE = 'holdline.lock';

/** Whether a process with this pid runs (EPERM: it runs, as another user). */
function running(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

export function folderInUse(dataDir: string, pid: number): Error {
	return new Error(
		`The embedded database in ${dataDir} is in use by another Holdline process (pid ${pid}). ` +
			'It serves one process only: stop that process first, or set DATABASE_URL to a PostgreSQL server (and REDIS_URL) to run several processes. ' +
			`If no such process runs, delete ${path.join(dataDir, LOCK_FILE)}.`
	);
}

/** Claims `dataDir` for this process; returns the release. Throws when another live process holds it. */
export function claimDataFolder(dataDir: string): () => void {
	const file = path.join(dataDir, LOCK_FILE);
	for (let attempt = 0; attempt < 3; attempt++) {
		try {
			const fd = openSync(file, 'wx');
			writeSync(fd, `${process.pid}\n`);
			closeSync(fd);
			const release = () => {
				process.off('exit', release);
				try {
					if (readFileSync(file, 'utf8').trim() === String(process.pid)) unlinkSync(file);
				} catch {
					// Gone already.
				}
			};
			process.on('exit', release);
			return release;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
		}
		let holder: number;
		try {
			holder = Number.parseInt(readFileSync(file, 'utf8'), 10);
		} catch {
			continue; // Released meanwhile: try again.
		}
		// Our own pid in the file is a lock from an earlier life of this pid (a container restarted).
		if (Number.isInteger(holder) && holder !== process.pid && running(holder)) throw folderInUse(dataDir, holder);
		// Stale: the process that wrote it is gone. Remove it and try again.
		try {
			unlinkSync(file);
		} catch {
			// Someone else removed it first.
		}
	}
	throw new Error(`Could not claim ${file}: it keeps changing (several processes starting at once?).`);
}
