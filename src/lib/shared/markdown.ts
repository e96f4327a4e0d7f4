// Every piece of markdown that reaches a page goes through here: marked, then DOMPurify.
// Playbooks, statements and notes are written by people we trust with words, not with
// scripts, so what comes out is inert HTML whatever went in.
import DOMPurify from 'isomorphic-dompurify';
import { Marked } from 'marked';

const marked = new Marked({ gfm: true, breaks: false, async: false });

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
	// Links leave Holdline without handing it the opener or the referrer.
	if (node.tagName === 'A' && node.hasAttribute('href')) {
		node.setAttribute('rel', 'noopener noreferrer nofollow');
		node.setAttribute('target', '_blank');
	}
});

export function renderMarkdown(markdown: string): string {
	const html = marked.parse(markdown) as string;
	return DOMPurify.sanitize(html, {
		USE_PROFILES: { html: true },
		FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed'],
		FORBID_ATTR: ['style']
	});
}
