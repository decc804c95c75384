// The pure rules behind the desk's visit day: a time under way (walk-in), completing before the
// time, and reason codes typed in another case. The api-level cases are in
// tests/integration/bookings/visit-day.test.ts.
import { describe, expect, it } from 'vitest';
import { checkMark, checkSlotStarted, reasonCodeAsDefined } from '../../../src-main/domain/booking-rules.ts';

const at = (hm: string) => Date.parse(`2026-11-23T${hm}:00+01:00`);
const slot = { startAt: at('10:00'), endAt: at('10:20') };

describe('a time under way', () => {
  it.each<[string, 'desk' | 'phone' | 'web', string | null]>([
    ['09:59', 'desk', null],
    ['10:00', 'desk', 'started'],
    ['10:19', 'phone', 'started'],
    ['10:20', 'desk', 'past'],
    ['12:00', 'desk', 'past'],
    ['09:59', 'web', null],
    ['10:05', 'web', 'past'],
  ])('at %s by %s: %s', (now, channel, want) => {
    expect(checkSlotStarted(slot, at(now), channel)?.code ?? null).toBe(want);
  });

  it('names the time on the wall clock, and that staff may book a patient who is here', () => {
    expect(checkSlotStarted(slot, at('10:05'), 'desk')).toMatchObject({
      kind: 'conflict',
      messageSv:
        'Tiden började kl. 10:00 och pågår till kl. 10:20. Personal kan boka en patient som är på plats med en motiverad åsidosättning.',
    });
  });
});

describe('completed before the visit time', () => {
  const today = '2026-11-23';
  it.each<[string, 'booked' | 'arrived' | 'preliminary', 'physical' | 'video' | 'phone', boolean, string | null]>([
    ['physical, not arrived, not begun', 'booked', 'physical', false, 'not_arrived'],
    ['physical, preliminary, not begun', 'preliminary', 'physical', false, 'not_arrived'],
    ['physical, arrived, not begun', 'arrived', 'physical', false, null],
    ['physical, not arrived, begun', 'booked', 'physical', true, null],
    ['phone, not begun (called early)', 'booked', 'phone', false, null],
    ['video, not begun', 'booked', 'video', false, null],
  ])('%s', (_n, from, mode, started, want) => {
    expect(checkMark(from, 'completed', today, today, started, mode)?.code ?? null).toBe(want);
  });
});

describe('reason codes as typed', () => {
  const type = {
    reasonCodes: [
      { code: 'SJUK', textSv: 'Sjuk', textEn: 'Ill' },
      { code: 'Resa', textSv: 'Bortrest', textEn: 'Away' },
      { code: 'ÅTERBESÖK', textSv: 'Återbesök', textEn: 'Follow-up' },
    ],
  };
  it.each<[string | undefined, string | undefined]>([
    ['SJUK', 'SJUK'],
    ['sjuk', 'SJUK'],
    [' Sjuk ', 'SJUK'],
    ['RESA', 'Resa'],
    ['återbesök', 'ÅTERBESÖK'],
    ['sjukt', undefined],
    ['  ', undefined],
    [undefined, undefined],
  ])('%j is %j', (given, want) => {
    expect(reasonCodeAsDefined(type, given)).toBe(want);
  });
});
