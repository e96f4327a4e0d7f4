import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/lib/shared/markdown.ts';

describe('rendered markdown', () => {
	it('keeps the formatting people write', () => {
		const html = renderMarkdown('**Never** delete silently.\n\n- one\n- two\n\n[guide](https://example.org/guide)');
		expect(html).toContain('<strong>Never</strong>');
		expect(html).toContain('<li>one</li>');
		expect(html).toContain('<a href="https://example.org/guide" rel="noopener noreferrer nofollow" target="_blank">guide</a>');
	});

	it('is inert: no script, no event handler, no javascript: link, no form', () => {
		const html = renderMarkdown(
			[
				'<script>alert(1)</script>',
				'<img src="x" onerror="alert(2)">',
				'[click](javascript:alert(3))',
				'<a href="javascript:alert(4)">raw</a>',
				'<iframe src="https://evil.example"></iframe>',
				'<form action="https://evil.example"><button>Send</button></form>',
				'<p style="position:fixed;inset:0">cover</p>',
				'<svg><script>alert(5)</script></svg>'
			].join('\n\n')
		);
		expect(html).not.toMatch(/<script|onerror|javascript:|<iframe|<form|<button|style=/i);
		expect(html).toContain('cover');
		expect(html).toContain('click');
	});
});
