import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireActor } from '$lib/server/auth/web';
import { allowOrHttpError, formError, parseForm } from '$lib/server/http';
import { runtime } from '$lib/server/runtime';
import { listMembers } from '$lib/server/organizations/members';
import { defaultApprovalChain } from '$lib/server/organizations/approval-chain';
import { createLine } from '$lib/server/cleared-lines/create-line';
import { CHANNELS } from '$lib/shared/channels';
import { newLineSchema, todayIso } from '$lib/shared/cleared-lines';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	allowOrHttpError(actor, 'lines.write');
	const { database } = await runtime();
	const members = await listMembers(database.db, actor);
	return {
		members: members.map((member) => ({ id: member.userId, name: member.displayName })),
		me: actor.userId,
		chain: await defaultApprovalChain(database.db, actor.organizationId),
		channels: [...CHANNELS],
		today: todayIso(new Date())
	};
};

export const actions: Actions = {
	default: async (event) => {
		const actor = requireActor(event);
		const form = await event.request.formData();
		// Every field's message at once; createLine checks the same schema again, and what needs
		// the database or the clock (the owner, a review-by day already over).
		const parsed = parseForm(newLineSchema, form);
		if (!parsed.ok) return parsed.failure;
		const input = { ...Object.fromEntries(form), channels: form.getAll('channels') };
		const { database } = await runtime();
		let lineId: string;
		try {
			lineId = await createLine(database.db, actor, input);
		} catch (e) {
			return formError(e, form);
		}
		redirect(303, `/lines/${lineId}`);
	}
};
