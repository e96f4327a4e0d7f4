// CSV for spreadsheets (RFC 4180), safe to open: a cell that a spreadsheet would read as a
// formula (starting with = + - @, or a tab or carriage return that hides one) is prefixed
// with an apostrophe, so a hostile handle or note is shown as text, never evaluated.
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | null | undefined): string {
	let text = value === null || value === undefined ? '' : String(value);
	if (FORMULA_START.test(text)) text = `'${text}`;
	return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csv(rows: readonly (readonly (string | number | null | undefined)[])[]): string {
	return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
