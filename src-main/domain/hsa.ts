// HSA-id: the national catalogue's id of a care unit or a person in it (HSA-katalogen), e.g.
// SE2321000016-ABCD: "SE", the 10-digit organisation number of the care provider, a hyphen and
// an extension of 1–30 letters or digits.
export const HSA_ID_PATTERN = /^SE\d{10}-[A-Za-z0-9]{1,30}$/;

export const HSA_ID_MESSAGE =
  'HSA-id ska skrivas SE, 10 siffror, bindestreck och 1–30 bokstäver eller siffror, t.ex. SE2321000016-ABCD.';

/** The id as stored: surrounding spaces dropped and the country prefix in capitals. */
export function normaliseHsaId(value: string): string {
  const v = value.trim();
  return /^se/i.test(v) ? `SE${v.slice(2)}` : v;
}

export function isHsaId(value: string): boolean {
  return HSA_ID_PATTERN.test(value);
}
