import type { Actions, PageServerLoad } from './$types';
import { requireActor } from '$lib/server/auth/web';
import { formError, parseForm } from '$lib/server/http';
import { changeRoles, listMembers, removeMember } from '$lib/server/organizations/members';
import {
	createInvitation,
	listPendingInvitations,
	revokeInvitation
} from '$lib/server/organizations/invitations';
import { can } from '$lib/server/policy';
import { runtime } from '$lib/server/runtime';
import { inviteSchema, memberSchema, rolesSchema } from '$lib/shared/validation';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const { database } = await runtime();
	const canManage = can(actor, 'members.manage');
	return {
		members: await listMembers(database.db, actor),
		invitations: canManage ? await listPendingInvitations(database.db, actor) : [],
		canManage,
		canManageOrganization: can(actor, 'organization.manage'),
		me: actor.userId
	};
};

const revokeSchema = z.object({ invitationId: z.uuid({ error: () => m.members_unknown_invitation() }) });

export const actions: Actions = {
	invite: async (event) => {
		const actor = requireActor(event);
		const form = await event.request.formData();
		const parsed = parseForm(inviteSchema, form);
		if (!parsed.ok) return parsed.failure;
		const { database } = await runtime();
		try {
			const { token } = await createInvitation(database.db, actor, parsed.data);
			return { invitationLink: `${event.url.origin}/invite/${token}`, invitedRoles: parsed.data.roles };
		} catch (error) {
			return formError(error, form);
		}
	},
	roles: async (event) => {
		const actor = requireActor(event);
		const form = await event.request.formData();
		const parsed = parseForm(rolesSchema, form);
		if (!parsed.ok) return parsed.failure;
		const { database } = await runtime();
		try {
			await changeRoles(database.db, actor, parsed.data);
			return { saved: parsed.data.userId };
		} catch (error) {
			return formError(error, form);
		}
	},
	remove: async (event) => {
		const actor = requireActor(event);
		const form = await event.request.formData();
		const parsed = parseForm(memberSchema, form);
		if (!parsed.ok) return parsed.failure;
		const { database } = await runtime();
		try {
			await removeMember(database.db, actor, parsed.data);
			return { removed: parsed.data.userId };
		} catch (error) {
			return formError(error, form);
		}
	},
	revoke: async (event) => {
		const actor = requireActor(event);
		const form = await event.request.formData();
		const parsed = parseForm(revokeSchema, form);
		if (!parsed.ok) return parsed.failure;
		const { database } = await runtime();
		try {
			await revokeInvitation(database.db, actor, parsed.data);
			return { revoked: true };
		} catch (error) {
			return formError(error, form);
		}
	}
};
