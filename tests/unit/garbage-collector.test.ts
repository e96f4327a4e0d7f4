import { describe, expect, it } from 'vitest';
import { garbageCollectorFlags } from '../../server/garbage-collector.ts';

describe('garbage collector flags', () => {
	it('single-threaded where a process has one core or less to itself, none where it has more', () => {
		expect(garbageCollectorFlags(1, 1)).toEqual(['--single-threaded-gc']);
		expect(garbageCollectorFlags(2, 3)).toEqual(['--single-threaded-gc']);
		expect(garbageCollectorFlags(4, 4)).toEqual(['--single-threaded-gc']);
		expect(garbageCollectorFlags(2, 1)).toEqual([]);
		expect(garbageCollectorFlags(8, 3)).toEqual([]);
	});
});
