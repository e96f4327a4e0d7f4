// Incident words shared by server and browser.

export const INCIDENT_STATUSES = ['active', 'monitoring', 'resolved', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** Where a status may go next. Closed is final; resolved and monitoring can reopen. */
export const STATUS_TRANSITIONS: Record<IncidentStatus, IncidentStatus[]> = {
	active: ['monitoring', 'resolved'],
	monitoring: ['active', 'resolved'],
	resolved: ['active', 'closed'],
	closed: []
};

export const STATUS_LABELS: Record<IncidentStatus, string> = {
	active: 'Active',
	monitoring: 'Monitoring',
	resolved: 'Resolved',
	closed: 'Closed'
};

export const TASK_STATES = ['todo', 'in_progress', 'done', 'skipped'] as const;
export type TaskState = (typeof TASK_STATES)[number];

export const SEVERITIES = [1, 2, 3, 4] as const;
export const SEVERITY_LABELS: Record<number, string> = {
	1: 'Sev 1 — critical',
	2: 'Sev 2 — major',
	3: 'Sev 3 — moderate',
	4: 'Sev 4 — minor'
};

/** A submitted version: in review, approved by every step, rejected, or replaced by a newer one. */
export const VERSION_STATUSES = ['in_review', 'approved', 'rejected', 'superseded'] as const;
export type VersionStatus = (typeof VERSION_STATUSES)[number];
