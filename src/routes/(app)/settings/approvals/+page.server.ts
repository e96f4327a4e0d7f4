import type { Actions, PageServerLoad } from './$types';
import { requireActor } from '$lib/server/auth/web';
import { allowOrHttpError, formError } from '$lib/server/http';
import { defaultApprovalChain, fastTrackApprovals, setDefaultApprovalChain, setFastTrackApprovals } from '$lib/server/organizations/approval-chain';
import { APPROVAL_ROLES } from '$lib/shared/playbooks';
import { runtime } from '$lib/server/runtime';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	allowOrHttpError(actor, 'organization.manage');
	const { database } = await runtime();
	return {
		chain: await defaultApprovalChain(database.db, actor.organizationId),
		fastTrack: await fastTrackApprovals(database.db, actor.organizationId),
		roles: [...APPROVAL_ROLES]
	};
};

export const actions: Actions = {
	chain: async (event) => {
		const actor = requireActor(event);
		const form = await event.request.formData();
		// One select per step; a step left at "no step" is not part of the chain.
		const roles = form.getAll('approvals').map((v) => String(v).trim()).filter(Boolean);
		const { database } = await runtime();
		try {
			return { saved: await setDefaultApprovalChain(database.db, actor, roles) };
		} catch (e) {
			return formError(e, form);
		}
	},
	/** The steps that remain for a statement that only fills in a pre-cleared line (checkboxes). */
	fastTrack: async (event) => {
		const actor = requireActor(event);
		const form = await event.request.formData();
		const roles = form.getAll('fastTrack').map((v) => String(v).trim()).filter(Boolean);
		const { database } = await runtime();
		try {
			return { fastTrackSaved: await setFastTrackApprovals(database.db, actor, roles) };
		} catch (e) {
			return formError(e, form);
		}
	}
};
