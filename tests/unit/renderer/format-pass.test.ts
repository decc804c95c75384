// The autumn night's doubled hour in the shared formatter (src-renderer/i18n/format.ts): the clock
// shows 02:00–02:59 twice when summer time ends, so a time in that hour names its pass, as the
// calendar grid does ("02:40 (sommartid)–02:10 (vintertid)"); every other time reads as before.
// Instants are worked out by hand: summer time (+02:00) ends 2026-10-25 at 03:00, the clock then
// shows 02:00 again (+01:00); it starts 2027-03-28 at 02:00, when the clock jumps to 03:00.
import { describe, expect, it } from 'vitest';
import {
  doubledHourPass,
  formatDateTime,
  formatPeriod,
  formatSpan,
  formatStart,
  formatTime,
  formatTimeSpan,
} from '../../../src-renderer/i18n/format.ts';

const at = (iso: string) => Date.parse(iso);

describe('doubledHourPass', () => {
  it.each([
    ['the first 02:00', '2026-10-25T02:00:00+02:00', 'summer'],
    ['the first 02:20', '2026-10-25T02:20:00+02:00', 'summer'],
    ['the first 02:59', '2026-10-25T02:59:00+02:00', 'summer'],
    ['the second 02:00', '2026-10-25T02:00:00+01:00', 'winter'],
    ['the second 02:20', '2026-10-25T02:20:00+01:00', 'winter'],
    ['the second 02:59', '2026-10-25T02:59:00+01:00', 'winter'],
    ['01:59 before it', '2026-10-25T01:59:00+02:00', null],
    ['03:00 after it', '2026-10-25T03:00:00+01:00', null],
    ['02:20 the next autumn night too', '2027-10-31T02:20:00+01:00', 'winter'],
    ['02:20 the day before', '2026-10-24T02:20:00+02:00', null],
    ['03:20 the spring night (02:00–02:59 is skipped)', '2027-03-28T03:20:00+02:00', null],
    ['01:59 the spring night', '2027-03-28T01:59:00+01:00', null],
    ['an ordinary winter day', '2026-11-23T02:20:00+01:00', null],
  ] as const)('%s: %s', (_, iso, pass) => {
    expect(doubledHourPass(at(iso))).toBe(pass);
  });
});

describe('a time in the doubled hour names its pass', () => {
  const summer = at('2026-10-25T02:20:00+02:00');
  const winter = at('2026-10-25T02:20:00+01:00');

  it('in Swedish: the two 02:20 read differently', () => {
    expect(formatTime(summer, 'sv')).toBe('02:20 (sommartid)');
    expect(formatTime(winter, 'sv')).toBe('02:20 (vintertid)');
    expect(formatStart(summer, 'sv', true)).toBe('sön 25 okt 2026 02:20 (sommartid)');
    expect(formatDateTime(winter, 'sv')).toBe('25 okt 02:20 (vintertid)');
    expect(formatSpan(winter, at('2026-10-25T02:50:00+01:00'), 'sv', true)).toBe(
      'sön 25 okt 2026 02:20 (vintertid)–02:50 (vintertid)',
    );
  });

  it('in English', () => {
    expect(formatTime(summer, 'en')).toBe('02:20 (summer time)');
    expect(formatTime(winter, 'en')).toBe('02:20 (standard time)');
    expect(formatSpan(summer, at('2026-10-25T02:50:00+02:00'), 'en')).toBe('Sun 25 Oct 02:20 (summer time)–02:50 (summer time)');
  });

  it('a time across the change itself: 02:40 sommartid–02:10 vintertid, 30 minutes', () => {
    const start = at('2026-10-25T02:40:00+02:00');
    const end = at('2026-10-25T02:10:00+01:00');
    expect(end - start).toBe(30 * 60_000);
    expect(formatTimeSpan(start, end, 'sv')).toBe('02:40 (sommartid)–02:10 (vintertid)');
    expect(formatSpan(start, end, 'sv', true)).toBe('sön 25 okt 2026 02:40 (sommartid)–02:10 (vintertid)');
    expect(formatSpan(start, end, 'en', true)).toBe('Sun 25 Oct 2026 02:40 (summer time)–02:10 (standard time)');
  });

  it('only the end in the doubled hour names only the end', () => {
    expect(formatTimeSpan(at('2026-10-25T01:30:00+02:00'), at('2026-10-25T02:30:00+01:00'), 'sv')).toBe(
      '01:30–02:30 (vintertid)',
    );
    expect(formatTimeSpan(at('2026-10-25T02:30:00+01:00'), at('2026-10-25T03:30:00+01:00'), 'sv')).toBe(
      '02:30 (vintertid)–03:30',
    );
  });

  it('an absence starting in the doubled hour (Frånvaro), within the day and across days', () => {
    expect(formatPeriod(at('2026-10-25T02:30:00+01:00'), at('2026-10-25T12:00:00+01:00'), 'sv')).toBe(
      'sön 25 okt 2026 02:30 (vintertid)–12:00',
    );
    expect(formatPeriod(at('2026-10-24T22:00:00+02:00'), at('2026-10-25T02:30:00+02:00'), 'sv')).toBe(
      'lör 24 okt 2026 22:00 – sön 25 okt 2026 02:30 (sommartid)',
    );
    expect(formatPeriod(at('2026-10-25T02:30:00+02:00'), at('2026-10-26T12:00:00+01:00'), 'en')).toBe(
      'Sun 25 Oct 2026 02:30 (summer time) – Mon 26 Oct 2026 12:00',
    );
  });
});

describe('every other time reads as before', () => {
  it('the spring night, whose 02:00–02:59 does not exist', () => {
    expect(formatTimeSpan(at('2027-03-28T01:30:00+01:00'), at('2027-03-28T03:30:00+02:00'), 'sv')).toBe('01:30–03:30');
    expect(formatStart(at('2027-03-28T03:00:00+02:00'), 'sv')).toBe('sön 28 mars 03:00');
  });

  it('an ordinary day, in both languages, with and without a language', () => {
    const start = at('2026-11-23T02:20:00+01:00');
    const end = at('2026-11-23T02:50:00+01:00');
    expect(formatTime(start)).toBe('02:20');
    expect(formatTime(start, 'en')).toBe('02:20');
    expect(formatTimeSpan(start, end, 'sv')).toBe('02:20–02:50');
    expect(formatSpan(start, end, 'en')).toBe('Mon 23 Nov 02:20–02:50');
    expect(formatPeriod(at('2026-10-25T00:00:00+02:00'), at('2026-10-26T00:00:00+01:00'), 'sv')).toBe('sön 25 okt 2026');
  });

  it('the autumn day outside the doubled hour', () => {
    expect(formatSpan(at('2026-10-25T10:00:00+01:00'), at('2026-10-25T10:30:00+01:00'), 'sv')).toBe('sön 25 okt 10:00–10:30');
  });
});
