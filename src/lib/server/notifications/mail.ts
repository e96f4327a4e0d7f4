// Sending an email: through SMTP when `SMTP_URL` is set (nodemailer), else printed to the
// log, so that the demo shows a newcomer every email it would send. Set once at start-up;
// kept on globalThis like the runtime (the Node entry and the SvelteKit bundle each load
// this module).
import nodemailer from 'nodemailer';

export interface Mail {
	to: string;
	subject: string;
	text: string;
}

interface Mailer {
	send(mail: Mail): Promise<void>;
	/** Where links in emails point: the public origin. */
	origin: string;
}

const KEY = Symbol.for('holdline.mailer');
const slot = globalThis as unknown as { [KEY]?: Mailer };

/** Without SMTP, each email is printed to the log. */
function logMailer(origin: string): Mailer {
	return {
		origin,
		send: async (mail) => console.log(`\n— Email to ${mail.to} —\nSubject: ${mail.subject}\n\n${mail.text}\n— end of email —\n`)
	};
}

export function configureMail(options: { smtpUrl: string | undefined; from: string; origin: string }): void {
	if (!options.smtpUrl) {
		slot[KEY] = logMailer(options.origin);
		return;
	}
	const transport = nodemailer.createTransport(options.smtpUrl);
	slot[KEY] = {
		origin: options.origin,
		send: async (mail) => {
			await transport.sendMail({ from: options.from, ...mail });
		}
	};
}

/** The configured mailer; before `startRuntime` configures one (scripts, tests), the log. */
export function mailer(): Mailer {
	return (slot[KEY] ??= logMailer('http://localhost:3000'));
}
