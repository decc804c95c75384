// Identity numbers as staff type them: 10 or 12 digits, '-' or '+', century from `today`,
// samordningsnummer, checksum and date errors in Swedish, reserve numbers only when flagged.
import { describe, expect, it } from 'vitest';
import { luhnCheckDigit, makeIdentityNumber, parseIdentityNumber } from '../../../src-main/domain/personnummer.ts';

const TODAY = '2026-11-23';
const ok = (input: string, today = TODAY, allowReserve = false) => {
  const r = parseIdentityNumber(input, today, { allowReserve });
  if (!r.ok) throw new Error(`${input}: ${r.messageSv}`);
  return r;
};

describe('parseIdentityNumber', () => {
  it.each([
    ['19121212-1212', '191212121212'],
    ['191212121212', '191212121212'],
    ['20121212-1212', '201212121212'],
    [' 19900101-0017 ', '199001010017'],
    ['9001010017', '199001010017'],
    ['900101-0017', '199001010017'],
  ])('normalises %s to 12 digits', (input, expected) => {
    expect(ok(input).normalised).toBe(expected);
    expect(ok(input).kind).toBe('personnummer');
  });

  it('decides the century of a 10-digit number from today, and "+" as 100 years or older', () => {
    expect(ok('121212-1212').normalised).toBe('201212121212');
    expect(ok('121212+1212').normalised).toBe('191212121212');
    expect(ok('121212+1212').birthDate).toBe('1912-12-12');
    // A birthday later this year than today cannot be this century's: 1926, not 2026.
    const n = makeIdentityNumber('1926-12-24', 5);
    expect(ok(`${n.slice(2, 8)}-${n.slice(8)}`).normalised).toBe(n);
    const m = makeIdentityNumber('2026-11-20', 5);
    expect(ok(`${m.slice(2, 8)}-${m.slice(8)}`).normalised).toBe(m);
  });

  it('reads a samordningsnummer (day + 60), also as 10 digits', () => {
    const number = makeIdentityNumber('1985-03-14', 123, true);
    expect(number.slice(6, 8)).toBe('74');
    const r = ok(number);
    expect(r.kind).toBe('samordningsnummer');
    expect(r.birthDate).toBe('1985-03-14');
    expect(ok(`${number.slice(2, 8)}-${number.slice(8)}`).normalised).toBe(number);
  });

  it('rejects a wrong check digit with a Swedish message', () => {
    const r = parseIdentityNumber('19121212-1213', TODAY);
    expect(r).toMatchObject({ ok: false, reason: 'checksum' });
    expect(!r.ok && r.messageSv).toMatch(/Kontrollsiffran/);
  });

  it.each(['19900230-0000', '19901301-0000', '19900132-0000'])('rejects the impossible date in %s', (raw) => {
    // Give each a valid check digit so that only the date is wrong.
    const nine = raw.slice(2, 8) + raw.slice(9, 12);
    const input = `${raw.slice(0, 12)}${luhnCheckDigit(nine)}`;
    const r = parseIdentityNumber(input, TODAY);
    expect(r).toMatchObject({ ok: false, reason: 'date' });
    expect(!r.ok && r.messageSv).toMatch(/datum som inte finns/);
  });

  it('rejects a birth date in the future and malformed input', () => {
    const future = makeIdentityNumber('2027-01-05', 1);
    expect(parseIdentityNumber(future, TODAY)).toMatchObject({ ok: false, reason: 'date' });
    expect(parseIdentityNumber('19121212+1212', TODAY)).toMatchObject({ ok: false, reason: 'format' });
    expect(parseIdentityNumber('abc', TODAY)).toMatchObject({ ok: false, reason: 'format' });
    expect(parseIdentityNumber('1212121212123', TODAY)).toMatchObject({ ok: false, reason: 'format' });
  });

  it('accepts reserve numbers only when explicitly flagged', () => {
    expect(parseIdentityNumber('19121212-1213', TODAY)).toMatchObject({ ok: false });
    expect(ok('19121212-1213', TODAY, true)).toMatchObject({ kind: 'reserve', normalised: '191212121213' });
    expect(parseIdentityNumber('99RES-00123', TODAY)).toMatchObject({ ok: false });
    expect(ok('99RES-00123', TODAY, true)).toMatchObject({ kind: 'reserve', normalised: '99RES-00123' });
    // A valid personnummer stays a personnummer even when reserve numbers are allowed.
    expect(ok('19121212-1212', TODAY, true).kind).toBe('personnummer');
  });
});
