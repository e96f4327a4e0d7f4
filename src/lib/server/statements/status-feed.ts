// The status page as an Atom feed (RFC 4287), for newsrooms and monitoring tools: the same
// statements, one entry each, updated by a correction or a withdrawal, with the earlier texts
// after the current one, marked the same way (a break-glass release says so in its title and category),
// in the organization's language (`xml:lang`); times stay RFC 3339, as Atom requires.
import { channelLabel } from '../../shared/channels.ts';
import { renderMarkdown } from '../../shared/markdown.ts';
import { m } from '../../paraglide/messages.js';
import { inLanguage } from '../i18n.ts';
import type { PublicStatus } from './status-page.ts';

const escape = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** `page` is the absolute URL of the status page the feed belongs to. */
export function statusFeed(status: PublicStatus, page: string): string {
	return inLanguage(status.organization.language, () => feed(status, page));
}

function feed({ organization, statements }: PublicStatus, page: string): string {
	const mark = m.release_break_glass_mark();
	const updated = (statements[0]?.updatedAt ?? new Date(0)).toISOString();
	const entries = statements
		.map((s) => {
			// The entry is named by its first release: a correction updates it, as Atom intends.
			const first = s.history.at(-1) ?? s.current!;
			const state = s.withdrawal ? m.feed_entry_withdrawn() : s.history.length ? m.feed_entry_updated() : '';
			const breakGlass = s.current?.breakGlass ?? false;
			const title = `${s.title} (${channelLabel(s.channel)})${state ? ` · ${state}` : ''}${breakGlass ? ` · ${mark}` : ''}`;
			const category = breakGlass ? `\n\t\t<category term="break-glass" label="${escape(mark)}"/>` : '';
			const body = [
				s.current ? renderMarkdown(s.current.text) : `<p><strong>${escape(m.feed_withdrawn_notice({ reason: s.withdrawal!.reason }))}</strong></p>`,
				...s.history.map((t) => `<hr/><p>${escape(m.feed_earlier_text({ at: t.releasedAt.toISOString() }))}</p>${renderMarkdown(t.text)}`)
			].join('');
			return `	<entry>
		<id>urn:uuid:${first.id}</id>
		<title>${escape(title)}</title>
		<published>${s.publishedAt.toISOString()}</published>
		<updated>${s.updatedAt.toISOString()}</updated>
		<link href="${escape(page)}"/>${category}
		<content type="html">${escape(body)}</content>
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
