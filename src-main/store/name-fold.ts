// Names beyond ASCII. SQLite's lower(), LIKE and NOCASE fold only A–Z, so 'öberg' never found
// 'Öberg' and Ö sorted before Å. tidbok_name_words(name) gives the name in Unicode lower case
// (NFC, so a decomposed 'ö' from another system matches a typed one), words separated by single
// spaces and led by one: a query word w then matches the start of any name word as LIKE '% w%'.
// tidbok_sv_sort(name) is a key whose byte order is Swedish alphabetical order: a–z, å, ä, ö.
import type { Db } from './database.ts';

/** Lower case (NFC), hyphens and runs of spaces as one space, with a leading space. */
export function nameWords(name: string): string {
  return ` ${name
    .normalize('NFC')
    .toLowerCase()
    .replace(/[\s\-‐‑–—]+/g, ' ')
    .trim()}`;
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
