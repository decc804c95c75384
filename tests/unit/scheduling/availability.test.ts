// Overlap bookkeeping for expansion, proposal choice for absence rebooking, and protected identity.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { chooseProposal, IntervalSet, mayShowContactDetails, overlaps } from '../../../src-main/domain/availability.ts';

describe('IntervalSet', () => {
  it('answers overlap questions exactly as a brute-force check does', () => {
    const interval = fc
      .tuple(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 1, max: 480 }))
      .map(([s, len]) => ({ startAt: s * 60_000, endAt: (s + len) * 60_000 }));
    fc.assert(
      fc.property(
        fc.array(interval, { maxLength: 40 }),
        fc.array(interval, { maxLength: 20 }),
        interval,
        (initial, added, probe) => {
          const set = new IntervalSet(initial);
          for (const a of added) set.add(a.startAt, a.endAt);
          const all = [...initial, ...added];
          const expected = all.some((i) => overlaps(i.startAt, i.endAt, probe.startAt, probe.endAt));
          expect(set.overlapsAny(probe.startAt, probe.endAt)).toBe(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("finds each interval by its start with its tag, added in or out of order (expansion: the slot's template)", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 5000 }), { maxLength: 60 }),
        fc.integer({ min: 0, max: 5000 }),
        (starts, probe) => {
          const set = new IntervalSet<string | null>(
            starts.slice(0, 10).map((s) => ({ startAt: s, endAt: s + 1, tag: `t${s}` })),
          );
          for (const s of starts.slice(10)) set.add(s, s + 1, s % 2 ? `t${s}` : null);
          const expected = starts.includes(probe)
            ? { tag: starts.indexOf(probe) >= 10 && probe % 2 === 0 ? null : `t${probe}` }
            : undefined;
          const i = set.indexOfStart(probe);
          expect(i >= 0 ? { tag: set.tagAt(i) } : undefined).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('treats touching intervals as not overlapping', () => {
    const set = new IntervalSet([{ startAt: 0, endAt: 10 }]);
    expect(set.overlapsAny(10, 20)).toBe(false);
    expect(set.overlapsAny(9, 20)).toBe(true);
  });
});

describe('chooseProposal', () => {
  const day = 86_400_000;
  const c = (slotId: string, resourceId: string, startAt: number) => ({ slotId, resourceId, startAt });
  const candidates = [c('a', 'other', 1 * day), c('b', 'same', 3 * day), c('c', 'other', 4 * day), c('d', 'same', 20 * day)];

  it('prefers the same clinician within the grace period, else the earliest', () => {
    expect(chooseProposal(candidates, 'same', new Set(), 7 * day)?.slotId).toBe('b');
    expect(chooseProposal(candidates, 'same', new Set(), 1 * day)?.slotId).toBe('a');
    expect(chooseProposal(candidates, 'same', new Set(['b']), 7 * day)?.slotId).toBe('a');
    expect(chooseProposal(candidates, 'nobody', new Set(), 7 * day)?.slotId).toBe('a');
    expect(chooseProposal(candidates, 'same', new Set(['a', 'b', 'c', 'd']), 7 * day)).toBeNull();
  });
});

describe('protected identity', () => {
  it('shows contact details of a protected patient only to roles that need them', () => {
    expect(mayShowContactDetails(false, ['scheduler'])).toBe(true);
    expect(mayShowContactDetails(true, ['scheduler'])).toBe(false);
    expect(mayShowContactDetails(true, ['admin'])).toBe(false);
    expect(mayShowContactDetails(true, ['receptionist'])).toBe(true);
  });
});
