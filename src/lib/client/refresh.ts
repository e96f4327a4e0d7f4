// Live refreshes (a crisis declared elsewhere, an approval waiting) reload page data. In
// SvelteKit a reload started during a navigation supersedes it, so a person's click would
// be silently cancelled by someone else's change: wait until no navigation is under way.
import { invalidate, invalidateAll } from '$app/navigation';
import { navigating } from '$app/state';

export function refreshWhenIdle(key?: string): void {
	const attempt = () => {
		if (navigating.to) setTimeout(attempt, 100);
		else void (key ? invalidate(key) : invalidateAll());
	};
	attempt();
}
