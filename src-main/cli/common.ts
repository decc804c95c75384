// Shared pieces of the command line: exit codes, usage errors, option parsing.
import type { Command } from 'commander';
import { hostname, userInfo } from 'node:os';
import type { Resource } from '../api/types.ts';
import type { Caller } from '../services/context.ts';
import {
  doubledHourPass,
  END_OF_DAY,
  isEndWallTime,
  isIsoDate,
  isUtcOffset,
  isWallTime,
  localDate,
  localEndTime,
  localTime,
  START_AT_END_OF_DAY,
  UTC_OFFSET_FORM,
} from '../domain/time.ts';
import { fieldLabel } from '../api/field-labels.ts';
import { FIRST_DATE, isDateInRange, LAST_DATE } from '../api/define.ts';

/** Documented exit codes (README): 0 ok, 1 failure, 2 bad usage or input, 3 sync finished with conflicts. */
export const EXIT = { ok: 0, failure: 1, usage: 2, conflicts: 3 } as const;

export class UsageError extends Error {
  override name = 'UsageError';
}

/** The --db given to the program (or a subcommand), else undefined (TIDBOK_DB / user-data folder). */
export function dbOption(cmd: Command): string | undefined {
  const all = cmd.optsWithGlobals<{ db?: string }>();
  return all.db;
}

/**
 * Commander's own usage errors ("error: unknown option '--x'") in Swedish, as every other message
 * of the CLI; a line it does not know is left as it is rather than lost.
 */
export function commanderErrorInSwedish(line: string): string {
  const rules: [RegExp, (...m: string[]) => string][] = [
    [
      /^error: unknown option '([^']+)'(?:\s*\(Did you mean ([^)?]+)\?\))?/,
      (o, hint) => `okänd flagga ${o}${hint ? ` (menade du ${hint}?)` : ''}.`,
    ],
    [
      /^error: unknown command '([^']+)'(?:\s*\(Did you mean ([^)?]+)\?\))?/,
      (c, hint) => `okänt kommando ${c}${hint ? ` (menade du ${hint}?)` : ''}.`,
    ],
    [/^error: required option '([^']+)' not specified/, (o) => `flaggan ${o} måste anges.`],
    [/^error: option '([^']+)' argument missing/, (o) => `flaggan ${o} saknar värde.`],
    [/^error: missing required argument '([^']+)'/, (a) => `argumentet ${a} måste anges.`],
    [
      /^error: too many arguments(?: for '([^']+)')?\. Expected (\d+) arguments? but got (\d+)/,
      (_c, want, got) => `för många argument: ${want} väntades, ${got} gavs.`,
    ],
    [
      /^error: option '([^']+)' argument '([^']*)' is invalid\.?\s*(.*)/,
      (o, v, why) => `ogiltigt värde "${v}" för ${o}. ${why}`.trim(),
    ],
  ];
  for (const [pattern, say] of rules) {
    const m = pattern.exec(line.trim());
    if (m) return `tidbok: ${say(...m.slice(1).map((x) => x ?? ''))}\n`;
  }
  return line;
}

export function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--port ska vara ett heltal 0–65535, inte "${value}".`);
  return n;
}

export function parseDateOption(name: string, value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new UsageError(`${name} ska vara ett datum ÅÅÅÅ-MM-DD, inte "${value}".`);
  // The right shape but no such day (2026-02-30, 2026-13-01): say so rather than "wrong format".
  if (!isIsoDate(value)) throw new UsageError(`${name}: datumet ${value} finns inte.`);
  if (!isDateInRange(value)) throw new UsageError(`${name}: datumet ${value} ligger utanför ${FIRST_DATE}–${LAST_DATE}.`);
  return value;
}

/** A wall-clock time option: 00:00–23:59, or as an end (`end`) also 24:00, the next midnight. */
export function parseWallTimeOption(name: string, value: string, end = false): string {
  if (!end && value === END_OF_DAY) throw new UsageError(`${name}: ${START_AT_END_OF_DAY}`);
  if (!(end ? isEndWallTime(value) : isWallTime(value)))
    throw new UsageError(`${name} ska vara en tid TT:MM (00:00–${end ? '24:00' : '23:59'}), inte "${value}".`);
  return value;
}

/**
 * A UTC offset option (`--utc-offset`, `--end-utc-offset`) for the api field `field`: refused by
 * its own name and the field's words, as the two come together and one message for both hid which.
 */
export function parseUtcOffsetOption(name: string, field: string, value: string): string {
  if (!isUtcOffset(value)) {
    const what = fieldLabel([field]);
    throw new UsageError(`${name}${what ? ` (${what.toLocaleLowerCase('sv')})` : ''} ${UTC_OFFSET_FORM}, inte "${value}".`);
  }
  return value;
}

/** A period given as --from/--to (the last day included): the end may not come before the start. */
export function checkDateRange(from: string | undefined, to: string | undefined): void {
  if (from !== undefined && to !== undefined && to < from) {
    throw new UsageError(`--to (${to}) ligger före --from (${from}): ange perioden med det tidigaste datumet först.`);
  }
}

/**
 * Whoever runs a command holds the database file: the OS user, acting in `roles` (admin by
 * default), is who the access log and audit events name.
 */
export function cliCaller(roles: Caller['roles'] = ['admin']): Caller {
  let user = 'okänd';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (containers): keep 'okänd'
  }
  return { userId: null, username: `cli:${user}`, displayName: `Kommandorad (${user})`, roles, workstation: hostname() };
}

/** A resource by id, HSA-id or (case-insensitive, unique) name, among `all`; else a usage error. */
export function pickResource(all: readonly Resource[], key: string): Resource {
  const exact = all.find((r) => r.id === key || r.hsaId === key);
  if (exact) return exact;
  const named = all.filter((r) => r.name.toLocaleLowerCase('sv') === key.toLocaleLowerCase('sv'));
  if (named.length === 1) return named[0]!;
  if (named.length > 1) throw new UsageError(`Flera resurser heter "${key}": ange id (tidbok resources list).`);
  throw new UsageError(`Det finns ingen resurs "${key}" (tidbok resources list visar dem).`);
}

/**
 * A time's span as staff read it: '2026-10-24 23:00–24:00' (an end at the next midnight reads
 * 24:00), and in the autumn night's doubled hour which 02:20 is meant.
 */
export function span(startAt: number, endAt: number, tz?: string): string {
  const pass = doubledHourPass(startAt, tz);
  // The end's pass where it differs from the start's: 02:40 sommartid–02:10 vintertid is 30 minutes.
  const endPass = doubledHourPass(endAt, tz);
  const end = endPass && endPass !== pass ? ` (${endPass})` : '';
  return `${atWithPass(startAt, tz)}–${localEndTime(startAt, endAt, tz)}${end}`;
}

/** An instant as '2026-10-25 02:20', naming which 02:20 in the autumn night's doubled hour. */
export function atWithPass(ms: number, tz?: string): string {
  const pass = doubledHourPass(ms, tz);
  return `${localDate(ms, tz)} ${localTime(ms, tz)}${pass ? ` (${pass})` : ''}`;
}
