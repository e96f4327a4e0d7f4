// A real SMTP server on a loopback port (the `smtp-server` package), keeping each message
// it receives, for tests of the emails Holdline sends.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
	to: string[];
	/** The message as sent, quoted-printable undone: readable text. */
	text: string;
}

export interface TestSmtpServer {
	url: string;
	received: ReceivedMail[];
	close(): Promise<void>;
}

/** Quoted-printable soft breaks and escapes undone, enough to read a plain-text email. */
function readable(raw: string): string {
	return raw
		.replace(/=\r?\n/g, '')
		.replace(/(=[0-9A-F]{2})+/g, (seq) => Buffer.from(seq.split('=').slice(1).map((h) => parseInt(h, 16))).toString('utf8'));
}

export async function startSmtpServer(): Promise<TestSmtpServer> {
	const received: ReceivedMail[] = [];
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		logger: false,
		onData(stream, session, callback) {
			const chunks: Buffer[] = [];
			stream.on('data', (chunk: Buffer) => chunks.push(chunk));
			stream.on('end', () => {
				received.push({ to: session.envelope.rcptTo.map((r) => r.address), text: readable(Buffer.concat(chunks).toString('utf8')) });
				callback();
			});
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.server.address() as AddressInfo;
	return { url: `smtp://127.0.0.1:${port}`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
