// The one place where domain errors become HTTP: form failures that show field messages
// and keep what the person typed (but never a password), and error pages for loads and
// endpoints.
import { error, fail, type ActionFailure } from '@sveltejs/kit';
import type { z } from 'zod';
import { fieldErrors, type FormFailure } from '../shared/validation.ts';
import { DomainError, httpStatus } from './errors.ts';
import { authorize, type Action, type Actor } from './policy.ts';


const ARRAY_FIELDS = new Set(['roles', 'channels', 'approvals']);

function formValues(form: FormData): Record<string, string | string[]> {
	const values: Record<string, string | string[]> = {};
	for (const key of new Set(form.keys())) {
		if (/password/i.test(key)) continue;
		const all = form.getAll(key).filter((v): v is string => typeof v === 'string');
		values[key] = ARRAY_FIELDS.has(key) ? all : (all[0] ?? '');
	}
	return values;
}

function toObject(form: FormData): Record<string, unknown> {
	const object: Record<string, unknown> = {};
	for (const key of new Set(form.keys())) {
		const all = form.getAll(key).filter((v) => typeof v === 'string');
		object[key] = ARRAY_FIELDS.has(key) ? all : all[0];
	}
	return object;
}

export type Parsed<T> =
	| { ok: true; data: T }
	| { ok: false; failure: ActionFailure<FormFailure> };

export function parseForm<S extends z.ZodType>(schema: S, form: FormData): Parsed<z.output<S>> {
	const result = schema.safeParse(toObject(form));
	if (result.success) return { ok: true, data: result.data };
	return {
		ok: false,
		failure: fail(400, { errors: fieldErrors(result.error), values: formValues(form) })
	};
}

/** Maps a domain error to the form's answer; anything else is a bug and is rethrown. */
export function formError(error: unknown, form: FormData): ActionFailure<FormFailure> {
	if (error instanceof DomainError) {
		return fail(httpStatus(error), {
			errors: { [error.field ?? 'form']: error.message },
			values: formValues(form)
		});
	}
	throw error;
}

/** Runs a domain call for a load or an endpoint; a domain error becomes its error page (404, 403…). */
export async function orHttpError<T>(call: () => T | Promise<T>): Promise<T> {
	try {
		return await call();
	} catch (e) {
		if (e instanceof DomainError) error(httpStatus(e), e.message);
		throw e;
	}
}

/** For a page or endpoint the person's roles must allow: its error page otherwise (403). */
export function allowOrHttpError(actor: Actor, action: Action): void {
	try {
		authorize(actor, action);
	} catch (e) {
		if (e instanceof DomainError) error(httpStatus(e), e.message);
		throw e;
	}
}
