// Identity numbers as an adversarial regional tester types or pastes them, beyond the cases of
// tests/unit/scheduling/personnummer.test.ts. "Today" is Sunday 2026-11-22. Check digits come
// from the independent Luhn below, never from the code under test; every expected answer is
// worked out by hand from Skatteverket's rules (18 § FOL: '+' from the YEAR of the 100th
// birthday; century 18/19/20; samordningsnummer = day + 60).
import { describe, expect, it } from 'vitest';
import { parseIdentityNumber } from '../../../src-main/domain/personnummer.ts';
import { luhn } from '../../helpers/luhn-oracle.ts';

const TODAY = '2026-11-22';
/** YYMMDD + sep + NNN + the right check digit. */
const ten = (yymmdd: string, sep: string, nnn = '123') => `${yymmdd}${sep}${nnn}${luhn(yymmdd + nnn)}`;
/** YYYYMMDD + sep + NNN + the right check digit. */
const twelve = (yyyymmdd: string, sep = '-', nnn = '123') => `${yyyymmdd}${sep}${nnn}${luhn(yyyymmdd.slice(2) + nnn)}`;
/** The same number with its check digit one off. */
const wrongCheck = (n: string) => n.slice(0, -1) + String((Number(n.slice(-1)) + 1) % 10);
const digitsOf = (n: string) => n.replace(/\D/g, '');

describe('accepted, with the birth date and kind worked out by hand', () => {
  it.each([
    // '+' in a 12-digit number all through the year of the 100th birthday, even before the day
    [twelve('19261231', '+'), '1926-12-31', 'personnummer', '19261231'],
    // '+' with a samordningsnummer: 100 years back, day - 60
    [ten('900161', '+'), '1890-01-01', 'samordningsnummer', '18900161'],
    // samordningsnummer on 29 February of a leap year only (29 + 60 = 89)
    [twelve('20240289'), '2024-02-29', 'samordningsnummer', '20240289'],
    [ten('000289', '-'), '2000-02-29', 'samordningsnummer', '20000289'],
    // samordningsnummer of a child born today, and of someone born "tomorrow" 100 years ago
    [ten('261182', '-'), '2026-11-22', 'samordningsnummer', '20261182'],
    [ten('261183', '-'), '1926-11-23', 'samordningsnummer', '19261183'],
    // spaces around the separator, tabs and line breaks from a pasted cell, a byte-order mark
    ['19121212 + 1212', '1912-12-12', 'personnummer', '19121212'],
    ['\t19121212-1212\r\n', '1912-12-12', 'personnummer', '19121212'],
    ['\uFEFF191212121212', '1912-12-12', 'personnummer', '19121212'],
  ])('%j is born %s (%s)', (input, birthDate, kind, datePart) => {
    const r = parseIdentityNumber(input, TODAY);
    expect(r).toMatchObject({ ok: true, kind, birthDate });
    expect(r.ok && r.normalised).toBe(datePart + digitsOf(input).slice(-4));
  });

  // Copied from a web page, an e-mail or a journal system: characters nobody sees, between or
  // around the digits. Staff cannot find them, so they must not make a valid number invalid.
  it.each([
    ['zero-width space', '19121212\u200B-1212'],
    ['soft hyphen', '19121212\u00AD1212'],
    ['left-to-right mark', '\u200E19121212-1212\u200E'],
    ['right-to-left mark', '19121212\u200F-1212'],
    ['word joiner', '191212\u206012-1212'],
    ['zero-width no-break space inside', '19121212-12\uFEFF12'],
    ['bidi embedding from a right-to-left page', '\u202A121212+1212\u202C'],
  ])('reads Tolvan through a %s', (_, input) => {
    expect(parseIdentityNumber(input, TODAY)).toMatchObject({ ok: true, normalised: '191212121212', birthDate: '1912-12-12' });
  });
});

describe('refused, saying which rule failed', () => {
  it.each([
    // impossible dates, each with a valid check digit: the date is named, not the checksum
    [twelve('19900431'), 'date', /Personnumret innehåller ett datum som inte finns \(1990-04-31\)/],
    [ten('900431', '-'), 'date', /datum som inte finns \(1990-04-31\)/],
    [twelve('20230289'), 'date', /Samordningsnumret .*dag 89 − 60 ger 2023-02-29/],
    [ten('000289', '+'), 'date', /Samordningsnumret .*1900-02-29/],
    [ten('900061', '-'), 'date', /Samordningsnumret .*1990-00-01/],
    ['000000-0000', 'date', /datum som inte finns \(2000-00-00\)/],
    [twelve('00121212'), 'date', /århundradet 00/],
    // '+' in a 12-digit number of someone who turns 99 this year
    [twelve('19270101', '+'), 'format', /Plustecknet används från det år personen fyller 100, men födelseåret är 1927/],
    // the separator anywhere but before the last four digits
    ['191212121212+', 'format', /fyra sista siffrorna/],
    ['+191212121212', 'format', /fyra sista siffrorna/],
    ['19121212-12-12', 'format', /fyra sista siffrorna/],
    ['1912-1212-1212', 'format', /fyra sista siffrorna/],
    // characters that are not a digit, '-' or '+', visible to staff
    ['19121212_1212', 'format', /bara innehålla siffrorna/],
    ["19121212'1212", 'format', /bara innehålla siffrorna/],
    ['19121212➕1212', 'format', /bara innehålla siffrorna/],
  ])('%j (%s)', (input, reason, message) => {
    const r = parseIdentityNumber(input, TODAY);
    expect(r).toMatchObject({ ok: false, reason });
    expect(!r.ok && r.messageSv).toMatch(message);
  });

  it('names the check digit, not the date, when both are wrong (a typo is the likelier cause)', () => {
    const both = wrongCheck(twelve('19900431'));
    expect(parseIdentityNumber(both, TODAY)).toMatchObject({ ok: false, reason: 'checksum' });
  });
});

describe('reserve numbers', () => {
  const reserve = (input: string) => parseIdentityNumber(input, TODAY, { allowReserve: true });

  it.each([
    ['99RES 4711 00', '99RES471100'],
    ['99res–4711', '99RES-4711'],
    ['SE12345-6789', 'SE12345-6789'],
    ['\u200B19900101-R123', '19900101-R123'],
  ])('takes %j as %j when flagged', (input, normalised) => {
    expect(reserve(input)).toMatchObject({ ok: true, kind: 'reserve', normalised, birthDate: null });
    expect(parseIdentityNumber(input, TODAY)).toMatchObject({ ok: false });
  });

  // A reserve number is found again by its digits (a search word with a digit): one without any
  // digit, or nothing but dashes, is a slip of the hand, not a number the desk can find.
  it.each(['----------', 'ABCDEFGHIJ', 'okand-man-x'])('refuses %j, a reserve number without a digit', (input) => {
    const r = reserve(input);
    expect(r).toMatchObject({ ok: false, reason: 'format' });
    expect(!r.ok && r.messageSv).toMatch(/reservnummer.*minst en siffra/i);
  });
});
