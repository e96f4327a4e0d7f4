import { hash, verify } from '@node-rs/argon2';

// OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane): ~30 ms here, slow enough for an
// attacker with a stolen table, fast enough for a person logging in during a crisis.
const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

export function hashPassword(password: string): Promise<string> {
	return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
	try {
		return await verify(passwordHash, password);
	} catch {
		return false;
	}
}

// Verifying against a real hash when the account does not exist makes a wrong email take
// as long as a wrong password, so timing does not reveal who has an account.
let decoy: Promise<string> | undefined;
export async function verifyDecoy(password: string): Promise<void> {
	decoy ??= hashPassword('decoy password that never matches');
	await verifyPassword(await decoy, password);
}
