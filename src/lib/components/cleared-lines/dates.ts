// Review-by dates are calendar days (stored as UTC midnight): shown in UTC so that no time
// zone moves them to the day before. Version statuses in the statements' words.
import { formatDate, type Instant } from '$lib/shared/format';
import type { VersionStatus } from '$lib/shared/incidents';
import { m } from '$lib/paraglide/messages';

export const showDateOnly = (day: Instant) => formatDate(day, 'UTC');

const STATUS_WORDS: Record<VersionStatus, () => string> = {
	in_review: m.approval_panel_status_in_review,
	approved: m.approval_panel_status_approved,
	rejected: m.approval_panel_status_rejected,
	superseded: m.approval_panel_status_superseded
};

export const versionStatusLabel = (status: VersionStatus) => STATUS_WORDS[status]();
