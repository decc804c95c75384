// Field names in words, for zod's generic messages ("Värdet måste vara minst 5."): staff must be
// told which field is wrong without reading a code name. Keyed by the input field's name, so one
// table serves every method that uses the name; fields whose schema gives its own message that
// names the field keep it unchanged.
const LABELS: Readonly<Record<string, string>> = {
  // appointment types
  code: 'Kod',
  nameSv: 'Svenskt namn',
  nameEn: 'Engelskt namn',
  durationMin: 'Längd i minuter',
  contactModes: 'Kontaktsätt',
  professions: 'Yrkesgrupper',
  cancelCutoffH: 'Avbokningsgräns i timmar',
  rebookCutoffH: 'Ombokningsgräns i timmar',
  reasonNew: 'Orsak vid bokning',
  reasonCancel: 'Orsak vid avbokning',
  reasonRebook: 'Orsak vid ombokning',
  reasonCodes: 'Orsakskoder',
  textSv: 'Svensk text',
  textEn: 'Engelsk text',
  bookMinLeadH: 'Minsta framförhållning i timmar',
  bookMaxDays: 'Längsta tid framåt i dagar',
  colour: 'Färg',
  // schedule templates and the free-slot search
  weekdays: 'Veckodagar',
  everyNWeeks: 'Var n:e vecka',
  validFrom: 'Gäller från',
  validTo: 'Gäller till',
  startTime: 'Starttid',
  endTime: 'Sluttid',
  slotMin: 'Tidslängd i minuter',
  appointmentTypeIds: 'Besökstyper',
  horizonWeeks: 'Antal veckor framåt',
  limit: 'Antal',
};

/** The label of the innermost named field of a zod issue path, if it has one. */
export function fieldLabel(path: readonly PropertyKey[] | undefined): string | undefined {
  for (let i = (path?.length ?? 0) - 1; i >= 0; i--) {
    const key = path![i];
    if (typeof key === 'string') return Object.hasOwn(LABELS, key) ? LABELS[key] : undefined;
  }
  return undefined;
}
