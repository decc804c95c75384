// Names beyond ASCII. SQLite's lower(), LIKE and NOCASE fold only A–Z, so 'öberg' never found
// 'Öberg' and Ö sorted before Å. tidbok_name_words(name) gives the name in Unicode lower case
// (NFC, so a decomposed 'ö' from another system matches a typed one), words separated by single
// spaces and led by one: a query word w then matches the start of any name word as LIKE '% w%'.
// tidbok_sv_sort(name) is a key whose byte order is Swedish alphabetical order: a–z, å, ä, ö.
import type { Db } from './database.ts';

// Accents a Swedish keyboard does not have (é ü ñ ...) are left out, so 'muller' finds Müller; the
// ring and dots of å ä ö are kept: they are letters of their own ('oberg' is not Öberg).
const FOREIGN_ACCENT = /(?<![ao])[\u0300-\u036f]|(?<=[ao])[\u0300-\u0307\u0309\u030b-\u036f]/g;

/**
 * Lower case (NFC) without foreign accents or invisible characters, ø æ as ö ä, no apostrophes
 * (O'Brien as obrien), hyphens, commas, semicolons and runs of spaces as one space ("Ågren, Karin",
 * as lists print a patient, is two words), with a leading space.
 */
export function nameWords(name: string): string {
  return ` ${name
    .replace(/\p{Cf}/gu, '') // invisible characters pasted along (soft hyphen, zero-width space)
    .normalize('NFD')
    .toLowerCase()
    .replace(FOREIGN_ACCENT, '')
    .normalize('NFC')
    .replace(/[æø]/g, (c) => (c === 'æ' ? 'ä' : 'ö'))
    .replace(/['’ʼ`´]/g, '')
    .replace(/[\s,;\-‐‑–—]+/g, ' ')
    .trim()}`;
}

/**
 * A condition over a name column (SQL text): true where the name has a character nameWords drops
 * or changes (a foreign accent, ø æ, an apostrophe), which a plain LIKE on the typed word misses.
 */
export function nameHasFoldedCharacters(column: string): string {
  return `(${column} GLOB '*[^ -~åäöÅÄÖ]*' OR instr(${column}, '''') > 0 OR instr(${column}, '\`') > 0)`;
}

/** Swedish order as plain byte order: å ä ö after z ('{' '|' '}'), other accents dropped (é as e, ü as y). */
export function swedishSortKey(name: string): string {
  return name
    .normalize('NFC')
    .toLowerCase()
    .replace(/[åäæöø]/g, (c) => ({ å: '{', ä: '|', æ: '|', ö: '}', ø: '}' })[c] ?? c)
    .replace(/ü/g, 'y')
    .normalize('NFD')
    .replace(/\p{M}/gu, '');
}

const registered = new WeakSet<Db>();

/** Registers tidbok_name_words() and tidbok_sv_sort() on this connection (once). */
export function ensureNameFunctions(db: Db): void {
  if (registered.has(db)) return;
  db.function('tidbok_name_words', { deterministic: true }, (name: unknown) =>
    typeof name === 'string' ? nameWords(name) : null,
  );
  db.function('tidbok_sv_sort', { deterministic: true }, (name: unknown) =>
    typeof name === 'string' ? swedishSortKey(name) : null,
  );
  registered.add(db);
}
