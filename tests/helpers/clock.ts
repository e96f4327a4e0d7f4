// A clock that tests move by hand, for code that takes `now: () => Date`: a due time is
// reached by advancing the clock, never by waiting for it.
export interface TestClock {
	now: () => Date;
	/** Moves the clock forward by `ms` and answers the new time. */
	advance(ms: number): Date;
	set(at: Date): void;
}

export function testClock(start = new Date('2030-01-07T09:00:00.000Z')): TestClock {
	let current = start.getTime();
	return {
		now: () => new Date(current),
		advance: (ms) => new Date((current += ms)),
		set: (at) => void (current = at.getTime())
	};
}
