// Issue 16: an approval that waits past its SLA finds its approver. The playbook here gives
// the approval step 3 seconds; the legal approver, on a phone, sees the notification arrive
// live in the header, an email reaches a real SMTP server started by the test, and from the
// email's link two taps approve: the link opens the approval, "Approve" decides it.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { startServer, temporaryDataDir, type RunningServer } from '../helpers/server';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp';
import { connectionStatus, logIn, STATEMENT_URL, submit, unique } from './helpers';
import { saveState, typeAtEnd } from './statement-page';

let smtp: TestSmtpServer;
let server: RunningServer;

test.beforeAll(async () => {
	test.setTimeout(90_000);
	smtp = await startSmtpServer();
	server = await startServer({ HOLDLINE_SEED_DEMO: '1', HOLDLINE_DATA_DIR: temporaryDataDir(), SMTP_URL: smtp.url, ORIGIN: 'self' });
});

test.afterAll(async () => {
	server?.process.kill('SIGKILL');
	await server?.exited;
	await smtp?.close();
});

async function person(browser: Browser, email: string, phone = false): Promise<Page> {
	const context = await browser.newContext({
		baseURL: server.url,
		...(phone ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } : {})
	});
	const page = await context.newPage();
	await logIn(page, email);
	return page;
}

const playbook = (id: string) => `---
id: ${id}
title: Quick approval rehearsal
lang: en
category: other
severity: 3
approvals: [legal]
first_statement_within: 2h
approval_sla: 3s
summary: A rehearsal whose approval step waits three seconds before a reminder.
---
## Answer
- [ ] Publish the holding line @cm +1h

\`\`\`statement id=holding channel=website title="Holding line"
We know about the problem and are working on it.
\`\`\`
`;

test('an approval past its SLA: a live notification, an email, and two taps approve on a phone', async ({ browser }) => {
	test.setTimeout(60_000);
	const id = unique('quick').toLowerCase().replace(/[^a-z0-9]+/g, '-');
	const admin = await person(browser, 'admin@acme.test');
	await admin.goto('/playbooks/new');
	await admin.getByLabel('Upload a markdown file').setInputFiles({ name: 'quick.md', mimeType: 'text/markdown', buffer: Buffer.from(playbook(id)) });
	await submit(admin, admin.getByRole('button', { name: 'Upload playbook' }));
	await expect(admin).toHaveURL(new RegExp(`/playbooks/en/${id}$`));

	// Lou (legal) waits on the crises list, on his phone.
	const lou = await person(browser, 'legal@acme.test', true);
	await expect(connectionStatus(lou)).toHaveText('Live');
	await expect(lou.getByTestId('notifications-link')).toHaveText('Notifications');

	const cm = await person(browser, 'cm@acme.test');
	await cm.goto(`/playbooks/en/${id}`);
	await cm.getByRole('link', { name: 'Declare crisis' }).click();
	await cm.getByLabel('What is happening').fill(`Outage ${id}`);
	await cm.getByRole('button', { name: 'Declare crisis' }).click();
	await cm.getByRole('region', { name: 'Holding statements' }).getByRole('button', { name: 'Start statement' }).click();
	await expect(cm).toHaveURL(STATEMENT_URL);
	await typeAtEnd(cm, ' Next update at noon.');
	await expect(saveState(cm)).toHaveText('Saved');
	const approval = cm.getByRole('region', { name: 'Approval' });
	await submit(cm, approval.getByRole('button', { name: 'Submit for approval' }));
	await expect(approval.getByRole('article', { name: 'Version 1', exact: true }).locator('.head .badge')).toHaveText('In review');

	// After 3 seconds, Lou's header counts one notification, without a reload.
	await expect(lou.getByTestId('notifications-link')).toHaveText(/Notifications\s*1/, { timeout: 15_000 });

	// The email reaches the SMTP server, with its link.
	await expect.poll(() => smtp.received.filter((m) => m.to.includes('legal@acme.test')).length, { timeout: 15_000 }).toBeGreaterThan(0);
	const mail = smtp.received.find((m) => m.to.includes('legal@acme.test'))!;
	expect(mail.text).toContain('has waited');
	expect(mail.text).toContain('Holding line');
	const link = /http:\/\/127\.0\.0\.1:\d+\/notifications\/[0-9a-f-]{36}/.exec(mail.text)?.[0];
	expect(link, mail.text).toBeDefined();

	// Tap 1: the link opens the statement, at its approval. Tap 2: Approve.
	await lou.goto(link!);
	await expect(lou).toHaveURL(STATEMENT_URL);
	const approve = lou.getByRole('region', { name: 'Approval' }).getByRole('button', { name: 'Approve', exact: true });
	await expect(approve).toBeInViewport();
	await approve.tap();
	await expect(lou.getByRole('region', { name: 'Approval' }).getByRole('article', { name: 'Version 1', exact: true }).locator('.head .badge')).toHaveText(
		'Approved'
	);
	// Opened, the notification is read: the count is gone.
	await expect(lou.getByTestId('notifications-link')).toHaveText('Notifications');
});
