// The id generator of createContext: UUIDv7 strings that sort in creation order (B-trees keyed
// by id grow at their end) and never repeat, also many within one millisecond.
import { describe, expect, it } from 'vitest';
import { createContext } from '../../../src-main/services/context.ts';
import type { Db } from '../../../src-main/store/database.ts';

describe('newId', () => {
  it('gives unique, version-7, creation-ordered ids, also thousands per millisecond', () => {
    const ctx = createContext({} as Db);
    const ids = Array.from({ length: 100_000 }, () => ctx.newId());
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id))).toBe(true);
    expect(ids.every((id, i) => i === 0 || ids[i - 1]! < id)).toBe(true);
    // The time prefix is the wall clock (to the millisecond), as UUIDv7 says.
    const ms = parseInt(ids.at(-1)!.replace(/-/g, '').slice(0, 12), 16);
    expect(Math.abs(ms - Date.now())).toBeLessThan(60_000);
  });
});
