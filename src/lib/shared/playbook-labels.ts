// Words the UI shows for the playbook format's codes, in the reader's language.
import { m } from '../paraglide/messages.js';
import { isRole, roleLabel } from './roles.ts';

const CATEGORY_LABEL: Record<string, () => string> = {
	'bad-buzz': m.category_bad_buzz,
	reviews: m.category_reviews,
	'customer-complaint': m.category_customer_complaint,
	outage: m.category_outage,
	harassment: m.category_harassment,
	'data-breach': m.category_data_breach,
	executive: m.category_executive,
	misinformation: m.category_misinformation,
	other: m.category_other
};

export function categoryLabel(category: string): string {
	return CATEGORY_LABEL[category]?.() ?? category;
}

/** Each language by its own name, whatever the reader's language: "English", "Français". */
export const LANGUAGE_LABELS: Record<string, string> = { en: 'English', fr: 'Français' };

/** Who a task is for: a member role, or each targeted person. */
export function taskRoleLabel(role: string): string {
	if (role === 'cm') return m.task_role_cm();
	if (role === 'target') return m.task_role_target();
	return isRole(role) ? roleLabel(role) : role;
}

/** An offset after declaration, short: "+1 h 30 min", "+2 d", "at once". */
export function formatOffset(minutes: number): string {
	if (minutes === 0) return m.offset_at_once();
	if (minutes % (24 * 60) === 0) return m.offset_days({ days: minutes / (24 * 60) });
	if (minutes >= 60) {
		const hours = Math.floor(minutes / 60);
		const rest = minutes % 60;
		return rest ? m.offset_hours_minutes({ hours, minutes: rest }) : m.offset_hours({ hours });
	}
	return m.offset_minutes({ minutes });
}
