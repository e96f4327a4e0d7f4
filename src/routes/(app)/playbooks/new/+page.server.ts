import { allowOrHttpError } from '$lib/server/http';
import type { Actions, PageServerLoad } from './$types';
import { requireActor } from '$lib/server/auth/web';
import { savePlaybookAction } from '$lib/server/playbooks/save-action';

const STARTER = `---
id: our-playbook
title: What this playbook is for
lang: en
category: other
severity: 3
approvals: [legal, executive]
first_statement_within: 60m
summary: One sentence that says when to use it.
---
Context for the team: what this crisis looks like, and the rules everyone follows.

## Assess (0–30 min)
- [ ] Screenshot what is being said, with URL and time @cm +10m
- [ ] Decide with legal what we can say @legal +30m

\`\`\`statement id=first-response channel=x title="First response"
We have seen your messages and we are looking into it. We will come back to you today. — {{signature}}
\`\`\`
`;

export const load: PageServerLoad = (event) => {
	const actor = requireActor(event);
	allowOrHttpError(actor, 'playbooks.manage');
	return { starter: STARTER };
};

export const actions: Actions = { save: savePlaybookAction };
