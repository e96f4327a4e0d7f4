// The war room's clock (deadlines in words: shared/deadlines.ts). Times of day are shown with
// `showTime` (client/language.svelte.ts): in the page's time zone, the same on the server's
// first render and in the browser, so hydration never changes them.
class Clock {
	now = $state(Date.now());
	private users = 0;
	private timer: ReturnType<typeof setInterval> | undefined;

	/** Ticks every second while at least one component uses it; returns the stop function. */
	use(): () => void {
		this.now = Date.now();
		if (this.users++ === 0) this.timer = setInterval(() => (this.now = Date.now()), 1000);
		return () => {
			if (--this.users === 0) clearInterval(this.timer);
		};
	}
}

export const clock = new Clock();

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
