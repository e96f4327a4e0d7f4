// A statement made and read the way people and the browser do it, against a running
// server: declared and started through the form actions, read back through a fresh join.
import { YjsClient } from './yjs-client.ts';

/** Declares a crisis from the impulsive-post playbook and starts its first statement; returns its id. */
export async function newStatement(url: string, cookie: string): Promise<string> {
	const post = (path: string, body: Record<string, string>) =>
		fetch(url + path, {
			method: 'POST',
			redirect: 'manual',
			headers: { origin: url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', cookie },
			body: new URLSearchParams(body)
		});
	const declared = await post('/incidents/new?playbook=en/impulsive-post', {
		playbook: 'en/impulsive-post',
		title: 'Durability',
		severity: '2',
		var_topic: 'prices',
		var_platform: 'X'
	});
	const incident = declared.headers.get('location')!;
	const created = await post(`${incident}?/createStatement`, { templateId: 'first-response' });
	return created.headers.get('location')!.split('/').pop()!;
}

/** The draft's text as the server serves it to someone who opens it now. */
export async function readDocument(url: string, cookie: string, statementId: string): Promise<string> {
	const reader = new YjsClient('reader', statementId, cookie);
	await reader.connect(url);
	const text = reader.text.toString();
	reader.close();
	return text;
}
