import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireActor } from '$lib/server/auth/web';
import { formError, orHttpError } from '$lib/server/http';
import { defaultApprovalChain } from '$lib/server/organizations/approval-chain';
import { deletePlaybook, getPlaybook, listPlaybooks, listPlaybookVersions } from '$lib/server/playbooks/library';
import { playbookView } from '$lib/server/playbooks/view';
import { can } from '$lib/server/policy';
import { runtime } from '$lib/server/runtime';
import { translationOf } from '../../own-language';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const { database, playbooks } = await runtime();
	const { lang, id } = event.params;
	const entry = await orHttpError(() => getPlaybook(database.db, actor, playbooks, lang, id));
	return {
		entry: { origin: entry.origin, version: entry.version, sha256: entry.sha256 },
		playbook: playbookView(entry.playbook),
		versions: entry.origin === 'organization' ? await listPlaybookVersions(database.db, actor, lang, id) : [],
		replacesBuiltIn: entry.origin === 'organization' && playbooks.some((p) => p.playbook.lang === lang && p.playbook.id === id),
		// The same playbook in the person's language, if this one is in another.
		translation: translationOf(entry.playbook, await listPlaybooks(database.db, actor, playbooks), event.locals.language),
		canManage: can(actor, 'playbooks.manage'),
		canDeclare: can(actor, 'incidents.declare'),
		// What a crisis declared from it now would get, when the playbook names no chain.
		defaultApprovals: entry.playbook.approvals ? null : await defaultApprovalChain(database.db, actor.organizationId)
	};
};

export const actions: Actions = {
	delete: async (event) => {
		const actor = requireActor(event);
		const { database } = await runtime();
		try {
			await deletePlaybook(database.db, actor, event.params.lang, event.params.id);
		} catch (e) {
			return formError(e, await event.request.formData());
		}
		redirect(303, '/playbooks');
	}
};
