import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../src/lib/server/realtime/token-bucket.ts';

describe('TokenBucket (per-socket rate limits)', () => {
	it('lets a burst through, then the sustained rate, and refills while idle up to the burst only', () => {
		let now = 0;
		const bucket = new TokenBucket(50, 100, () => now);
		const take = (n: number) => Array.from({ length: n }, () => bucket.take()).filter(Boolean).length;
		expect(take(150)).toBe(100);
		now += 1_000;
		expect(take(100)).toBe(50);
		now += 20;
		expect(take(5)).toBe(1);
		now += 3_600_000;
		expect(take(1_000)).toBe(100);
	});

	it('never refuses a typist at the browser’s pace (one batch every 40 ms)', () => {
		let now = 0;
		const bucket = new TokenBucket(50, 100, () => now);
		for (let i = 0; i < 10_000; i++, now += 40) expect(bucket.take()).toBe(true);
	});
});
