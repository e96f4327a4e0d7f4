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

// The same starter for a French-speaking author: a French playbook (lang: fr), in French.
const STARTER_FR = `---
id: notre-playbook
title: À quoi sert ce playbook
lang: fr
category: other
severity: 3
approvals: [legal, executive]
first_statement_within: 60m
summary: Une phrase qui dit quand l’utiliser.
---
Le contexte pour l’équipe\u00a0: à quoi ressemble cette crise, et les règles que chacun suit.

## Évaluer (0–30 min)
- [ ] Faire une capture de ce qui se dit, avec l’URL et l’heure @cm +10m
- [ ] Décider avec le juridique de ce que nous pouvons dire @legal +30m

\`\`\`statement id=premiere-reponse channel=x title="Première réponse"
Nous avons bien vu vos messages et nous examinons la situation. Nous revenons vers vous aujourd’hui. — {{signature}}
\`\`\`
`;

export const load: PageServerLoad = (event) => {
	const actor = requireActor(event);
	allowOrHttpError(actor, 'playbooks.manage');
	return { starter: event.locals.language === 'fr' ? STARTER_FR : STARTER };
};

export const actions: Actions = { save: savePlaybookAction };
