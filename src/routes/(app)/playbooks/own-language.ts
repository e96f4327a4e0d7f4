// A playbook is written once per language under the same id (playbooks/en/data-breach.md and
// playbooks/fr/data-breach.md are one playbook, translated; an organization's own copy keeps
// both). The library and a playbook's page use that to offer the person's language first.
import type { Language } from '$lib/shared/locale';

interface Listed {
	id: string;
	lang: Language;
	title: string;
}

/** The person's language first, then the others, each group in the order it came. */
export function ownLanguageFirst<T extends Listed>(playbooks: T[], language: Language): T[] {
	return [...playbooks.filter((p) => p.lang === language), ...playbooks.filter((p) => p.lang !== language)];
}

/**
 * The same playbook in the person's language, when the one shown is in another language and
 * a translation of it exists; null otherwise.
 */
export function translationOf(
	playbook: { id: string; lang: string },
	all: readonly Listed[],
	language: Language
): { id: string; lang: Language; title: string } | null {
	if (playbook.lang === language) return null;
	const found = all.find((p) => p.id === playbook.id && p.lang === language);
	return found ? { id: found.id, lang: found.lang, title: found.title } : null;
}
