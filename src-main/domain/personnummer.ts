// Swedish identity numbers: personnummer, samordningsnummer (day + 60) and reserve numbers.
// Accepted as 10 or 12 digits, with or without '-' / '+', Luhn-checked, normalised to 12 digits.
// Pure: the century of a 10-digit number depends on `today`, which the caller passes.
//
// Skatteverket (18 § FOL): the '-' becomes '+' from the YEAR a person turns 100, and the century
// of a 12-digit number is 18, 19 or 20. So in 2026, 261123+NNNC is 1926-11-23 even before that
// birthday, and 261123-NNNC (no '+' though it would need one) can only be 1926 too: 2026-11-23
// has not come yet.

export type IdentityKind = 'personnummer' | 'samordningsnummer' | 'reserve';

export type IdentityParse =
  | { ok: true; normalised: string; kind: IdentityKind; birthDate: string | null }
  | { ok: false; reason: 'format' | 'length' | 'checksum' | 'date'; messageSv: string };

/** Luhn check digit over the 9 digits YYMMDDNNN. */
export function luhnCheckDigit(nineDigits: string): number {
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    let v = Number(nineDigits[i]) * (i % 2 === 0 ? 2 : 1);
    if (v > 9) v -= 9;
    sum += v;
  }
  return (10 - (sum % 10)) % 10;
}

function isRealDate(y: number, m: number, d: number): boolean {
  const dt = new Date(Date.UTC(2000, m - 1, d));
  dt.setUTCFullYear(y); // Date.UTC maps years 0–99 to 1900–1999; set the year on its own.
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

// Dashes a word processor or another system puts where staff meant '-': hyphen, non-breaking
// hyphen, figure dash, en and em dash, minus sign, small and full-width hyphen-minus.
const DASHES = /[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g;

// Characters nobody sees (Unicode format characters: zero-width space, soft hyphen, direction
// marks, word joiner) come along when a number is copied from a web page, an e-mail or a journal.
const INVISIBLE = /\p{Cf}/gu;

/**
 * The input as staff meant it: full-width digits and '+' as ASCII (NFKC), any dash as '-', no
 * spaces and no invisible characters.
 */
export function cleanIdentityInput(input: string): string {
  return input.normalize('NFKC').replace(INVISIBLE, '').replace(DASHES, '-').replace(/\s+/g, '');
}

const fail = (reason: 'format' | 'length' | 'checksum' | 'date', messageSv: string): IdentityParse => ({
  ok: false,
  reason,
  messageSv,
});
const pad2 = (n: number) => String(n).padStart(2, '0');

/** The latest year ending in `yy` that is not after `notAfter`. */
const latestYearEndingIn = (yy: number, notAfter: number) => notAfter - ((((notAfter - yy) % 100) + 100) % 100);

/**
 * Parses a personnummer or samordningsnummer. `today` ('YYYY-MM-DD', the unit's date) decides
 * the century of a 10-digit number: with '+' the latest year at least 100 years back (the '+'
 * is used from the year of the 100th birthday); otherwise the latest year that puts the birth
 * date not in the future. `allowReserve` accepts what is no valid identity number as a reserve
 * number (letters, digits and '-', 10–20 characters, at least one digit).
 */
export function parseIdentityNumber(input: string, today: string, options: { allowReserve?: boolean } = {}): IdentityParse {
  const raw = cleanIdentityInput(input);
  const parsed = parseStrict(raw, today);
  if (parsed.ok || !options.allowReserve || raw === '') return parsed;
  // 10–20 characters, as the patients table holds them.
  if (!/^[0-9A-Za-z-]{10,20}$/.test(raw)) {
    return fail('format', 'Ett reservnummer ska ha 10–20 tecken: bokstäver A–Z, siffror och bindestreck.');
  }
  // Every region's reserve numbers carry digits, and the desk finds one again by them (a search
  // word with a digit): only letters or dashes is a slip, not a number.
  if (!/\d/.test(raw)) return fail('format', 'Ett reservnummer ska innehålla minst en siffra.');
  // A reserve number shaped like a personnummer is kept as its digits, like one; others as typed, upper case.
  const normalised = /^\d{6,8}[-+]?\d{4}$/.test(raw) ? raw.replace(/[-+]/, '') : raw.toUpperCase();
  return { ok: true, normalised, kind: 'reserve', birthDate: null };
}

function parseStrict(raw: string, today: string): IdentityParse {
  if (raw === '') return fail('format', 'Ange ett personnummer (ÅÅÅÅMMDD-NNNN eller ÅÅMMDD-NNNN).');
  if (/[^0-9+-]/.test(raw)) {
    return fail('format', 'Personnumret får bara innehålla siffrorna 0–9 och ett bindestreck (-) eller plustecken (+).');
  }
  const digits = raw.replace(/[-+]/g, '');
  if (digits.length !== 10 && digits.length !== 12) {
    return fail('length', `Personnumret ska ha 10 eller 12 siffror, inte ${digits.length}.`);
  }
  const m = /^(\d{2})?(\d{6})([-+]?)(\d{4})$/.exec(raw);
  if (!m) return fail('format', 'Bindestrecket eller plustecknet ska stå före de fyra sista siffrorna (ÅÅMMDD-NNNN).');
  const [, century, yymmdd, sep, last4] = m as unknown as [string, string | undefined, string, string, string];
  const ten = yymmdd + last4;
  if (luhnCheckDigit(ten.slice(0, 9)) !== Number(ten[9])) {
    return fail('checksum', 'Kontrollsiffran stämmer inte. Kontrollera personnumret.');
  }

  const yy = Number(yymmdd.slice(0, 2));
  const mm = Number(yymmdd.slice(2, 4));
  const day = Number(yymmdd.slice(4, 6));
  const kind: IdentityKind = day > 60 ? 'samordningsnummer' : 'personnummer';
  const dd = kind === 'samordningsnummer' ? day - 60 : day;
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  const laterThisYear = mm > tm || (mm === tm && dd > td);

  let year: number;
  if (century !== undefined) {
    year = Number(century) * 100 + yy;
    if (century !== '18' && century !== '19' && century !== '20') {
      return fail('date', `Personnumret börjar med århundradet ${century}; det ska vara 18, 19 eller 20.`);
    }
    if (sep === '+' && ty - year < 100) {
      return fail(
        'format',
        `Plustecknet används från det år personen fyller 100, men födelseåret är ${year}. Skriv ett bindestreck.`,
      );
    }
  } else if (sep === '+') {
    year = latestYearEndingIn(yy, ty - 100);
  } else {
    year = latestYearEndingIn(yy, ty);
    if (year === ty && laterThisYear) year -= 100;
  }

  const date = `${String(year).padStart(4, '0')}-${pad2(mm)}-${pad2(dd)}`;
  if (!isRealDate(year, mm, dd)) {
    return fail(
      'date',
      kind === 'samordningsnummer'
        ? `Samordningsnumret innehåller ett datum som inte finns (dag ${pad2(day)} − 60 ger ${date}).`
        : `Personnumret innehåller ett datum som inte finns (${date}).`,
    );
  }
  if (date > today) return fail('date', `Födelsedatumet ${date} ligger i framtiden.`);
  return { ok: true, normalised: `${year}${ten.slice(2)}`, kind, birthDate: date };
}

/**
 * The stored forms naming the same personnummer-shaped reserve number: a wristband's ten digits
 * are the same number as those ten digits after a century (18, 19, 20), and each is kept as first
 * registered (a reserve number is the region's, never given an invented century).
 */
export function reserveNumberForms(normalised: string): string[] {
  if (/^\d{10}$/.test(normalised)) return [normalised, `18${normalised}`, `19${normalised}`, `20${normalised}`];
  if (/^(18|19|20)\d{10}$/.test(normalised)) return [normalised, normalised.slice(2)];
  return [normalised];
}

/** 12 digits -> 'YYYYMMDD-NNNN' for display; other forms unchanged. */
export function formatIdentityNumber(normalised: string): string {
  return /^\d{12}$/.test(normalised) ? `${normalised.slice(0, 8)}-${normalised.slice(8)}` : normalised;
}

/** Builds a valid 12-digit number from a birth date and a three-digit serial (test data). */
export function makeIdentityNumber(birthDate: string, serial: number, samordning = false): string {
  const [y, m, d] = birthDate.split('-') as [string, string, string];
  const day = samordning ? String(Number(d) + 60) : d;
  const nine = `${y.slice(2)}${m}${day}${String(serial).padStart(3, '0')}`;
  return `${y}${nine.slice(2)}${luhnCheckDigit(nine)}`;
}
