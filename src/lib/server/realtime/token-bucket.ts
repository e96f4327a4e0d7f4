// A token bucket: `burst` messages at once, then `perSecond` on average. One per socket
// and kind of message, so that one flooding connection is refused early and cheaply
// (a subtraction per message) instead of reaching the group commit.

export class TokenBucket {
	private tokens: number;
	private last: number;

	constructor(
		private readonly perSecond: number,
		private readonly burst: number,
		/** Milliseconds, monotonic; a test passes its own clock. */
		private readonly now: () => number = () => performance.now()
	) {
		this.tokens = burst;
		this.last = now();
	}

	/** Takes one token; false when the bucket is empty (the message is refused). */
	take(): boolean {
		const now = this.now();
		this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.perSecond) / 1000);
		this.last = now;
		if (this.tokens < 1) return false;
		this.tokens -= 1;
		return true;
	}
}
