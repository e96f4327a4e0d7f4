// The status page as an Atom feed (RFC 4287), for newsrooms and monitoring tools: the same
// releases, marked the same way (a break-glass release says so in its title and category),
// in the organization's language (`xml:lang`); times stay RFC 3339, as Atom requires.
import { channelLabel } from '../../shared/channels.ts';
import { renderMarkdown } from '../../shared/markdown.ts';
import { m } from '../../paraglide/messages.js';
import { inLanguage } from '../i18n.ts';
import type { publicStatus } from './status-page.ts';

const escape = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** `page` is the absolute URL of the status page the feed belongs to. */
export function statusFeed(status: Awaited<ReturnType<typeof publicStatus>>, page: string): string {
	return inLanguage(status.organization.language, () => feed(status, page));
}

function feed({ organization, releases }: Awaited<ReturnType<typeof publicStatus>>, page: string): string {
	const mark = m.release_break_glass_mark();
	const updated = (releases[0]?.releasedAt ?? new Date(0)).toISOString();
	const entries = releases
		.map((r) => {
			const title = `${r.title} (${channelLabel(r.channel)})${r.breakGlass ? ` · ${mark}` : ''}`;
			const category = r.breakGlass ? `\n\t\t<category term="break-glass" label="${escape(mark)}"/>` : '';
			return `	<entry>
		<id>urn:uuid:${r.id}</id>
		<title>${escape(title)}</title>
		<updated>${r.releasedAt.toISOString()}</updated>
		<link href="${escape(page)}"/>${category}
		<content type="html">${escape(renderMarkdown(r.text))}</content>
	</entry>`;
		})
		.join('\n');
	return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${organization.language}">
	<id>${escape(page)}</id>
	<title>${escape(m.feed_title({ organization: organization.name }))}</title>
	<updated>${updated}</updated>
	<author><name>${escape(organization.name)}</name></author>
	<link rel="alternate" href="${escape(page)}"/>
	<link rel="self" href="${escape(`${page}/feed.xml`)}"/>
${entries}
</feed>
`;
}
