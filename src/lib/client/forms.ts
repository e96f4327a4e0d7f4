import type { SubmitFunction } from '@sveltejs/kit';

/**
 * Progressive enhancement that keeps what the person typed when the server refuses the
 * form — except passwords, which never stay on a page longer than needed.
 */
export const keepTyped: SubmitFunction = ({ formElement }) => {
	return async ({ update }) => {
		await update({ reset: false });
		for (const input of formElement.querySelectorAll<HTMLInputElement>('input[type="password"]')) input.value = '';
	};
};
