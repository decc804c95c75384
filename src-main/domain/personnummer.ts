// Swedish identity numbers: personnummer, samordningsnummer (day + 60) and reserve numbers.
// Accepted as 10 or 12 digits, with or without '-' / '+' ('+' = the person is 100 or older),
// Luhn-checked, normalised to 12 digits. Pure: the century of a 10-digit number depends on
// `today`, which the caller passes.

export type IdentityKind = 'personnummer' | 'samordningsnummer' | 'reserve';

export type IdentityParse =
  | { ok: true; normalised: string; kind: IdentityKind; birthDate: string | null }
  | { ok: false; reason: 'format' | 'checksum' | 'date'; messageSv: string };

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
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

const FORMAT_MSG = 'Ange personnummer som ÅÅÅÅMMDD-NNNN eller ÅÅMMDD-NNNN.';

/**
 * Parses a personnummer or samordningsnummer. `today` ('YYYY-MM-DD') decides the century of a
 * 10-digit number: the most recent century that puts the birth date not in the future, one
 * century earlier with '+'.
 */
export function parseIdentityNumber(input: string, today: string, options: { allowReserve?: boolean } = {}): IdentityParse {
  const raw = input.trim().replace(/\s+/g, '');
  const m = /^(\d{2})?(\d{6})([-+]?)(\d{4})$/.exec(raw);
  if (!m) {
    if (options.allowReserve && /^[0-9A-Za-z-]{6,20}$/.test(raw)) {
      return { ok: true, normalised: raw.toUpperCase(), kind: 'reserve', birthDate: null };
    }
    return { ok: false, reason: 'format', messageSv: FORMAT_MSG };
  }
  const [, century, yymmdd, sep, last4] = m as unknown as [string, string | undefined, string, string, string];
  if (century !== undefined && sep === '+') {
    // 12 digits already say the century; '+' only has a meaning for 10 digits.
    return { ok: false, reason: 'format', messageSv: FORMAT_MSG };
  }
  const ten = yymmdd + last4;
  const checksumOk = luhnCheckDigit(ten.slice(0, 9)) === Number(ten[9]);
  if (!checksumOk) {
    if (options.allowReserve) return { ok: true, normalised: (century ?? '') + ten, kind: 'reserve', birthDate: null };
    return { ok: false, reason: 'checksum', messageSv: 'Kontrollsiffran stämmer inte. Kontrollera personnumret.' };
  }
  const yy = Number(yymmdd.slice(0, 2));
  const mm = Number(yymmdd.slice(2, 4));
  let dd = Number(yymmdd.slice(4, 6));
  let kind: IdentityKind = 'personnummer';
  if (dd > 60) {
    kind = 'samordningsnummer';
    dd -= 60;
  }
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  let year: number;
  if (century !== undefined) {
    year = Number(century) * 100 + yy;
  } else {
    year = Math.floor(ty / 100) * 100 + yy;
    const bornAfterToday = year > ty || (year === ty && (mm > tm || (mm === tm && dd > td)));
    if (bornAfterToday) year -= 100;
    if (sep === '+') year -= 100;
  }
  // Samordningsnummer may carry day 00 (unknown day) and stay valid; anything else must be a real date.
  const dateOk = kind === 'samordningsnummer' && dd === 0 ? mm >= 1 && mm <= 12 : isRealDate(year, mm, dd);
  if (!dateOk) {
    // Reserve numbers are free-form by region; when explicitly flagged they need not be dates.
    if (options.allowReserve) return { ok: true, normalised: (century ?? '') + ten, kind: 'reserve', birthDate: null };
    return { ok: false, reason: 'date', messageSv: 'Personnumret innehåller ett datum som inte finns.' };
  }
  const birthDate = dd === 0 ? null : `${year}-${String(mm).padStart(2, '0')}-${String(dd).padStart(2, '0')}`;
  if (birthDate !== null && birthDate > today) {
    return { ok: false, reason: 'date', messageSv: 'Födelsedatumet ligger i framtiden.' };
  }
  return { ok: true, normalised: `${String(year).padStart(4, '0')}${ten.slice(2)}`, kind, birthDate };
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
