// Name matching beyond ASCII. SQLite's lower() and LIKE fold only A–Z, so 'öberg' never found
// 'Öberg'. tidbok_name_words(name) gives the name in Unicode lower case (NFC, so a decomposed
// 'ö' from another system matches a typed one), words separated by single spaces and led by
// one: a query word w then matches the start of any name word as LIKE '% w%'.
import type { Db } from './database.ts';

/** Lower case (NFC), hyphens and runs of spaces as one space, with a leading space. */
export function nameWords(name: string): string {
  return ` ${name
    .normalize('NFC')
    .toLowerCase()
    .replace(/[\s\-‐‑–—]+/g, ' ')
    .trim()}`;
}

const registered = new WeakSet<Db>();

/** Registers tidbok_name_words() on this connection (once). */
export function ensureNameFunctions(db: Db): void {
  if (registered.has(db)) return;
  db.function('tidbok_name_words', { deterministic: true }, (name: unknown) =>
    typeof name === 'string' ? nameWords(name) : null,
  );
  registered.add(db);
}
