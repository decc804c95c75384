// Identity numbers as staff type them: 10 or 12 digits, '-' or '+', century from `today`,
// samordningsnummer, checksum and date errors in Swedish, reserve numbers only when flagged.
import { describe, expect, it } from 'vitest';
import { luhnCheckDigit, makeIdentityNumber, parseIdentityNumber } from '../../../src-main/domain/personnummer.ts';
import { luhn } from '../../helpers/luhn-oracle.ts';

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
    // 12 digits with '+' only for someone who turns 100 this year or is older.
    expect(ok('19121212+1212').normalised).toBe('191212121212');
    expect(parseIdentityNumber('20121212+1212', TODAY)).toMatchObject({ ok: false, reason: 'format' });
    expect(parseIdentityNumber('abc', TODAY)).toMatchObject({ ok: false, reason: 'format' });
    expect(parseIdentityNumber('1212121212123', TODAY)).toMatchObject({ ok: false, reason: 'length' });
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

// Skatteverket's rules, worked out by hand for 2026-11-22 (a Sunday): the '+' from the YEAR a
// person turns 100 (18 § FOL), century 18/19/20, Luhn over the ten digits. Check digits come
// from this independent Luhn, not from the code under test.
describe('parseIdentityNumber against Skatteverket, today 2026-11-22', () => {
  const today = '2026-11-22';
  /** YYMMDD + sep + NNN + correct check digit. */
  const ten = (yymmdd: string, sep: string, nnn = '123') => `${yymmdd}${sep}${nnn}${luhn(yymmdd + nnn)}`;
  /** YYYYMMDD + sep + NNN + correct check digit. */
  const twelve = (yyyymmdd: string, sep = '-', nnn = '123') => `${yyyymmdd}${sep}${nnn}${luhn(yyyymmdd.slice(2) + nnn)}`;

  it.each([
    // The 100th birthday and the century: '+' all through the year of the 100th birthday.
    [ten('261122', '+'), '1926-11-22'],
    [ten('261123', '+'), '1926-11-23'],
    [ten('261122', '-'), '2026-11-22'],
    [ten('261123', '-'), '1926-11-23'], // 2026-11-23 has not come: the '+' was left out
    [ten('261123', ''), '1926-11-23'],
    [ten('270101', '-'), '1927-01-01'],
    [ten('270101', '+'), '1827-01-01'],
    [ten('251231', '+'), '1925-12-31'],
    [ten('000229', '-'), '2000-02-29'],
    [twelve('20000229'), '2000-02-29'],
    [twelve('19040229'), '1904-02-29'],
    [twelve('19261123', '+'), '1926-11-23'], // 12 digits with '+': the year of the 100th birthday
    [twelve('18991231'), '1899-12-31'],
  ])('%s is born %s', (input, birthDate) => {
    const r = parseIdentityNumber(input, today);
    expect(r).toMatchObject({ ok: true, kind: 'personnummer', birthDate });
    expect(r.ok && r.normalised).toBe(birthDate.replaceAll('-', '') + input.slice(-4));
  });

  it.each([
    ['2026-01-01', ten('260101', '-'), '2026-01-01'],
    ['2026-01-01', ten('260102', '-'), '1926-01-02'],
    ['2026-01-01', ten('251231', '-'), '2025-12-31'],
    ['2000-01-01', ten('991231', '-'), '1999-12-31'],
    ['2000-01-01', ten('000102', '-'), '1900-01-02'],
    ['2000-01-01', ten('000101', '+'), '1900-01-01'],
  ])('on %s, %s is born %s', (day, input, birthDate) => {
    expect(parseIdentityNumber(input, day)).toMatchObject({ ok: true, birthDate });
  });

  it.each([
    // samordningsnummer: day + 60, by the month's length
    [ten('900161', '-'), '1990-01-01'],
    [ten('900191', '-'), '1990-01-31'],
    [ten('900288', '-'), '1990-02-28'],
    [ten('920289', '-'), '1992-02-29'],
    [ten('900490', '-'), '1990-04-30'],
    [twelve('20000289'), '2000-02-29'],
  ])('samordningsnummer %s is born %s', (input, birthDate) => {
    expect(parseIdentityNumber(input, today)).toMatchObject({ ok: true, kind: 'samordningsnummer', birthDate });
  });

  it.each([
    [twelve('19000229'), 'date', /datum som inte finns \(1900-02-29\)/],
    [ten('000229', '+'), 'date', /datum som inte finns \(1900-02-29\)/],
    [twelve('21000229'), 'date', /århundradet 21/],
    [twelve('17991231'), 'date', /århundradet 17/],
    [twelve('19900100'), 'date', /datum som inte finns \(1990-01-00\)/],
    [twelve('19901301'), 'date', /datum som inte finns \(1990-13-01\)/],
    [twelve('19900001'), 'date', /datum som inte finns/],
    [ten('900160', '-'), 'date', /datum som inte finns/], // day 60: neither a date nor day + 60
    [ten('900289', '-'), 'date', /Samordningsnumret.*1990-02-29/],
    [ten('900491', '-'), 'date', /Samordningsnumret.*1990-04-31/],
    [ten('900192', '-'), 'date', /Samordningsnumret.*1990-01-32/],
    [ten('900199', '-'), 'date', /Samordningsnumret/],
    [twelve('20261123'), 'date', /Födelsedatumet 2026-11-23 ligger i framtiden/],
    [twelve('20900101'), 'date', /framtiden/],
    [twelve('19900101', '+'), 'format', /Plustecknet .* 1990/],
    ['19121212-1213', 'checksum', /Kontrollsiffran/],
    ['121212-1213', 'checksum', /Kontrollsiffran/],
    ['', 'format', /Ange ett personnummer/],
    ['   ', 'format', /Ange ett personnummer/],
    ['abcdefghij', 'format', /bara innehålla siffrorna/],
    ['19121212/1212', 'format', /bara innehålla siffrorna/],
    ['19121212.1212', 'format', /bara innehålla siffrorna/],
    ['١٩١٢١٢١٢-١٢١٢', 'format', /bara innehålla siffrorna/], // Arabic-Indic digits are not 0–9
    ['12121212121', 'length', /10 eller 12 siffror, inte 11/],
    ['1912121212123', 'length', /10 eller 12 siffror, inte 13/],
    ['121212-121', 'length', /inte 9/],
    ['1912-12121212', 'format', /fyra sista siffrorna/],
    ['191212--1212', 'format', /fyra sista siffrorna/],
    ['191212+-1212', 'format', /fyra sista siffrorna/],
  ])('rejects %j (%s)', (input, reason, message) => {
    const r = parseIdentityNumber(input, today);
    expect(r).toMatchObject({ ok: false, reason });
    expect(!r.ok && r.messageSv).toMatch(message);
  });

  it.each([
    ' 19121212-1212 ',
    '19121212 1212',
    '191212 12 12 12',
    '19121212–1212', // en dash
    '19121212‐1212', // hyphen
    '19121212−1212', // minus sign
    '１９１２１２１２－１２１２', // full-width digits and hyphen-minus
    '121212＋1212', // full-width plus
    '19121212\u00a01212', // no-break space
  ])('reads %j as Tolvan', (input) => {
    expect(parseIdentityNumber(input, today)).toMatchObject({ ok: true, normalised: '191212121212' });
  });

  it('keeps a reserve number as typed (upper case), a personnummer-shaped one as its digits', () => {
    const reserve = (input: string) => parseIdentityNumber(input, today, { allowReserve: true });
    expect(reserve('99res-00123')).toMatchObject({ ok: true, kind: 'reserve', normalised: '99RES-00123', birthDate: null });
    expect(reserve('121212-1213')).toMatchObject({ ok: true, kind: 'reserve', normalised: '1212121213' });
    expect(reserve('19900230-0000')).toMatchObject({ ok: true, kind: 'reserve', normalised: '199002300000' });
    expect(reserve('121212+1212')).toMatchObject({ ok: true, kind: 'personnummer', normalised: '191212121212' });
    expect(reserve('AB12')).toMatchObject({ ok: false, reason: 'format', messageSv: expect.stringMatching(/reservnummer/) });
    expect(reserve('99RES_001')).toMatchObject({ ok: false, reason: 'format' });
    expect(reserve('')).toMatchObject({ ok: false, reason: 'format' });
  });
});
