// A statement taken to the public page the way people do it, against a running server: declared,
// started, submitted, approved by Legal then the executive, released — through the form actions a
// browser without JavaScript posts. For the status cache's tests and its benchmark.
export type Person = 'cm' | 'legal' | 'exec' | 'admin';
export type People = Record<Person, string>;

export class PublicRelease {
	/** `/incidents/<id>/statements/<id>` once started. */
	statementPath = '';

	constructor(
		private readonly url: string,
		private readonly people: People
	) {}

	get statementId(): string {
		return this.statementPath.split('/').pop()!;
	}

	/** A form action; throws unless it succeeded (200, or the redirect it answers with). */
	async act(who: Person, path: string, fields: [string, string][]): Promise<Response> {
		const response = await fetch(this.url + path, {
			method: 'POST',
			redirect: 'manual',
			headers: { origin: this.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', cookie: this.people[who] },
			body: new URLSearchParams(fields)
		});
		if (response.status !== 200 && response.status !== 303) throw new Error(`${path} answered ${response.status} for ${who}`);
		return response;
	}

	/** Declares a real crisis (not a drill: drills never reach the public page) and starts a website statement. */
	async start(incidentTitle = 'Status page'): Promise<void> {
		const declared = await this.act('cm', '/incidents/new?playbook=en/impulsive-post', [
			['playbook', 'en/impulsive-post'],
			['title', incidentTitle],
			['severity', '2'],
			['var_topic', 'prices'],
			['var_platform', 'X']
		]);
		const incident = declared.headers.get('location')!;
		const created = await this.act('cm', `${incident}?/createStatement`, [['templateId', 'first-response'], ['channel', 'website']]);
		this.statementPath = created.headers.get('location')!;
	}

	/** What the statement page shows `who` in its forms' hidden fields and check boxes named `name`. */
	async fields(who: Person, name: string): Promise<string[]> {
		const html = await (await fetch(this.url + this.statementPath, { headers: { cookie: this.people[who] } })).text();
		return [...html.matchAll(new RegExp(`name="${name}" value="([^"]+)"`, 'g'))].map((m) => m[1]!);
	}

	/** Submits the draft as it stands, has it approved, and releases it on the channels offered. */
	async approveAndRelease(): Promise<void> {
		await this.act('cm', `${this.statementPath}?/submit`, []);
		for (const who of ['legal', 'exec'] as const) {
			const [versionId] = await this.fields(who, 'versionId');
			const [step] = await this.fields(who, 'step');
			if (!versionId || !step) throw new Error(`nothing waits for ${who}`);
			await this.act(who, `${this.statementPath}?/decide`, [['versionId', versionId], ['step', step], ['decision', 'approved']]);
		}
		const [versionId] = await this.fields('cm', 'versionId');
		const channels = [...new Set(await this.fields('cm', 'channels'))];
		if (!versionId || !channels.length) throw new Error('nothing to release');
		await this.act('cm', `${this.statementPath}?/release`, [['versionId', versionId], ...channels.map((c): [string, string] => ['channels', c])]);
	}

	/** Withdraws the text that is out now, with `reason`. */
	async withdraw(reason: string): Promise<void> {
		const [releaseId] = await this.fields('cm', 'releaseId');
		if (!releaseId) throw new Error('nothing released to withdraw');
		await this.act('cm', `${this.statementPath}?/withdraw`, [['releaseId', releaseId], ['reason', reason]]);
	}
}
