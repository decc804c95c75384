// How people read in the booking screens (dates and times: i18n/format.ts).
import type { PatientSummary } from '../../src-main/api/types.ts';

/** 12 digits -> "ÅÅÅÅMMDD-NNNN", the form staff read aloud. */
export function formatIdentity(value: string): string {
  return /^\d{12}$/.test(value) ? `${value.slice(0, 8)}-${value.slice(8)}` : value;
}

export function patientLabel(p: PatientSummary, protectedText: string): string {
  // The identity number of a protected patient reaches only roles that need it (else it is empty).
  if (!p.protectedIdentity) return p.displayName;
  return p.identityNumber ? `${protectedText} (${formatIdentity(p.identityNumber)})` : protectedText;
}
