// Filling a statement template: the built-in placeholders and the incident's variables.
// Anything unknown stays visible as {{name}} so nobody publishes a silent gap.

export interface TemplateValues {
	org: string;
	incidentTitle: string;
	signature: string;
	date: string;
	variables: Record<string, string>;
}

export function fillTemplate(body: string, values: TemplateValues): string {
	const known: Record<string, string> = Object.assign(
		Object.create(null) as Record<string, string>,
		{ org: values.org, 'incident.title': values.incidentTitle, signature: values.signature, date: values.date },
		values.variables
	);
	// Own properties only: `{{constructor}}` must not print Object's constructor.
	return body.replace(/\{\{\s*([^{}]*?)\s*\}\}/g, (whole, name: string) => (Object.hasOwn(known, name) ? known[name]! : whole));
}

/** Practitioners sign replies with a first name: it calms things down. */
export function firstName(displayName: string): string {
	return displayName.trim().split(/\s+/)[0] ?? displayName;
}

export function longDate(date: Date, lang: string): string {
	return new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(date);
}
