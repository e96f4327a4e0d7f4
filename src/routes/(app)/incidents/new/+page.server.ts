import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireActor } from '$lib/server/auth/web';
import { DomainError } from '$lib/server/errors';
import { allowOrHttpError, formError, parseForm } from '$lib/server/http';
import { declareIncident } from '$lib/server/incidents/declare-incident';
import { getPlaybook, listPlaybooks } from '$lib/server/playbooks/library';
import { runtime } from '$lib/server/runtime';
import { declarationSchema } from '$lib/shared/validation';
import { m } from '$lib/paraglide/messages';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	allowOrHttpError(actor, 'incidents.declare');
	const { database, playbooks } = await runtime();
	const chosen = event.url.searchParams.get('playbook') ?? '';
	const [lang, id] = chosen.split('/');
	let playbook = null;
	if (lang && id) {
		try {
			const { playbook: p } = await getPlaybook(database.db, actor, playbooks, lang, id);
			playbook = { key: `${p.lang}/${p.id}`, title: p.title, summary: p.summary, severity: p.severity, variables: p.variables, firstStatementWithinMinutes: p.firstStatementWithinMinutes };
		} catch (e) {
			if (!(e instanceof DomainError)) throw e;
		}
	}
	// The playbooks in the person's language (every playbook's own page declares from it too);
	// all of them, each marked with its language, when none is in that language.
	const all = await listPlaybooks(database.db, actor, playbooks);
	const mine = all.filter((p) => p.lang === event.locals.language);
	const options = (mine.length ? mine : all).map((p) => ({
		key: `${p.lang}/${p.id}`,
		title: p.title,
		lang: p.lang
	}));
	return { playbook, options };
};

export const actions: Actions = {
	default: async (event) => {
		const actor = requireActor(event);
		const form = await event.request.formData();
		const parsed = parseForm(declarationSchema, form);
		if (!parsed.ok) return parsed.failure;
		const { database, playbooks } = await runtime();
		const [lang = '', id = ''] = parsed.data.playbook.split('/');
		let incidentId: string;
		try {
			const entry = await getPlaybook(database.db, actor, playbooks, lang, id).catch((e: unknown) => {
				throw e instanceof DomainError ? new DomainError('NOT_FOUND', m.declare_page_choose_playbook(), 'playbook') : e;
			});
			({ incidentId } = await declareIncident(database.db, actor, entry, parsed.data));
		} catch (e) {
			return formError(e, form);
		}
		redirect(303, `/incidents/${incidentId}`);
	}
};
