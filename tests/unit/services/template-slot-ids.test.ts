// A template's slot id is the same on every desk (templateSlotId): UUIDv7 of the slot's start,
// the template's seed and the removed slots at that start. Expansion writes the time part itself
// instead of asking uuid for each of a year's 364,000 ids; the ids must stay uuid's, byte for
// byte, or desks on different versions would lay out one time twice.
import fc from 'fast-check';
import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { slotIdSeed, templateSlotId } from '../../../src-main/services/templates.ts';

const reference = (templateId: string, startAt: number, removedBefore: number): string => {
  const seed = slotIdSeed(templateId);
  return uuidv7({ msecs: startAt, seq: (seed.seq + removedBefore) >>> 0, random: seed.random });
};

describe('templateSlotId', () => {
  it('is uuid v7 of the start, the template seed and the removed count', () => {
    fc.assert(
      fc.property(
        fc.uuid(),
        fc.oneof(fc.integer({ min: 0, max: 2 ** 48 - 1 }), fc.integer({ min: 1.7e12, max: 1.9e12 })),
        fc.nat(5),
        (templateId, startAt, removedBefore) => {
          const seed = slotIdSeed(templateId);
          // Twice with one seed: the cached part must not leak from one removed count to another.
          expect(templateSlotId(seed, startAt, removedBefore)).toBe(reference(templateId, startAt, removedBefore));
          expect(templateSlotId(seed, startAt + 60_000, removedBefore + 1)).toBe(
            reference(templateId, startAt + 60_000, removedBefore + 1),
          );
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('keeps the ids desks already hold (one template, 2027-01-04 08:00 CET, none and one removed before)', () => {
    const seed = slotIdSeed('019a0000-0000-7000-8000-000000000001');
    const startAt = Date.parse('2027-01-04T08:00:00+01:00');
    expect(templateSlotId(seed, startAt, 0)).toBe('01a2df7f-6d80-72a8-b668-a541353ebf2f');
    expect(templateSlotId(seed, startAt, 1)).toBe('01a2df7f-6d80-72a8-b668-a941353ebf2f');
  });
});
