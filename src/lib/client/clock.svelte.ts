// The war room's clock (deadlines in words: shared/deadlines.ts). Times of day are shown in UTC on the server's first render and in
// the person's own time zone once the page runs in their browser (no hydration mismatch).
class Clock {
	now = $state(Date.now());
	local = $state(false);
	private users = 0;
	private timer: ReturnType<typeof setInterval> | undefined;

	/** Ticks every second while at least one component uses it; returns the stop function. */
	use(): () => void {
		this.local = true;
		this.now = Date.now();
		if (this.users++ === 0) this.timer = setInterval(() => (this.now = Date.now()), 1000);
		return () => {
			if (--this.users === 0) clearInterval(this.timer);
		};
	}
}

export const clock = new Clock();

export function timeOfDay(iso: string): string {
	if (!clock.local) return `${iso.slice(11, 16)} UTC`;
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- formatted once, never mutated
	return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** 3 725 000 ms → "1:02:05"; under an hour "12:05". */
export function stopwatch(ms: number): string {
	const total = Math.max(0, Math.floor(ms / 1000));
	const h = Math.floor(total / 3600);
	const m = Math.floor((total % 3600) / 60);
	const s = total % 60;
	const mm = String(m).padStart(2, '0');
	const ss = String(s).padStart(2, '0');
	return h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}
