// Incident words shared by server and browser.
import { m } from '../paraglide/messages.js';

export const INCIDENT_STATUSES = ['active', 'monitoring', 'resolved', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** Where a status may go next. Closed is final; resolved and monitoring can reopen. */
export const STATUS_TRANSITIONS: Record<IncidentStatus, IncidentStatus[]> = {
	active: ['monitoring', 'resolved'],
	monitoring: ['active', 'resolved'],
	resolved: ['active', 'closed'],
	closed: []
};

const STATUS_LABEL: Record<IncidentStatus, () => string> = {
	active: m.status_active,
	monitoring: m.status_monitoring,
	resolved: m.status_resolved,
	closed: m.status_closed
};

export function statusLabel(status: IncidentStatus): string {
	return STATUS_LABEL[status]();
}

export const TASK_STATES = ['todo', 'in_progress', 'done', 'skipped'] as const;
export type TaskState = (typeof TASK_STATES)[number];

export const SEVERITIES = [1, 2, 3, 4] as const;
const SEVERITY_LABEL: Record<number, () => string> = {
	1: m.severity_1,
	2: m.severity_2,
	3: m.severity_3,
	4: m.severity_4
};

/** "Sev 1 — critical" / "Niveau 1 — critique". */
export function severityLabel(severity: number): string {
	return SEVERITY_LABEL[severity]?.() ?? m.severity_short({ severity });
}

/** A submitted version: in review, approved by every step, rejected, or replaced by a newer one. */
export const VERSION_STATUSES = ['in_review', 'approved', 'rejected', 'superseded'] as const;
export type VersionStatus = (typeof VERSION_STATUSES)[number];
