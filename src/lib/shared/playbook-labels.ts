// Words the UI shows for the playbook format's codes.
export const CATEGORY_LABELS: Record<string, string> = {
	'bad-buzz': 'Bad buzz',
	reviews: 'Negative reviews',
	'customer-complaint': 'Customer complaint',
	outage: 'Outage',
	harassment: 'Harassment',
	'data-breach': 'Data breach',
	executive: 'Executive',
	misinformation: 'Misinformation',
	other: 'Other'
};

export const LANGUAGE_LABELS: Record<string, string> = { en: 'English', fr: 'Français' };

export const TASK_ROLE_LABELS: Record<string, string> = {
	cm: 'CM',
	legal: 'Legal',
	executive: 'Executive',
	coach: 'Coach',
	staff: 'Staff',
	observer: 'Observer',
	target: 'Each targeted person',
	admin: 'Admin'
};

/** "+90m" → "1 h 30 min after declaration" style, short: "+1 h 30". */
export function formatOffset(minutes: number): string {
	if (minutes === 0) return 'at once';
	if (minutes % (24 * 60) === 0) return `+${minutes / (24 * 60)} d`;
	if (minutes >= 60) {
		const h = Math.floor(minutes / 60);
		const m = minutes % 60;
		return m ? `+${h} h ${m} min` : `+${h} h`;
	}
	return `+${minutes} min`;
}
