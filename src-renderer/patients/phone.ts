// A patient's phone number as the receptionist reads it aloud: Swedish numbers in the national
// grouping (070-483 33 11, 08-123 456 78, 031-12 34 56), foreign ones in international form. The
// number is stored as typed (exports keep it so); anything that is not a valid number is shown as
// typed too. Grouping needs each area code's length, hence libphonenumber-js, not a pattern.
import { parsePhoneNumberFromString } from 'libphonenumber-js/min';

export function displayPhone(stored: string | null | undefined): string | null {
  if (!stored) return null;
  const number = parsePhoneNumberFromString(stored, 'SE');
  if (!number?.isValid()) return stored;
  return number.country === 'SE' ? number.formatNational() : number.formatInternational();
}
