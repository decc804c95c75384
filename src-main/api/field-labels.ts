// Field names in words, for zod's generic messages ("Värdet måste vara minst 5."): staff must be
// told which field is wrong without reading a code name. The words are the forms' labels
// (renderer i18n typeForm, tpl), so the message names the field the scheduler sees. Keyed by the input field's name, so one
// table serves every method that uses the name; fields whose schema gives its own message that
// names the field keep it unchanged.
const LABELS: Readonly<Record<string, string>> = {
  // appointment types
  code: 'Kod',
  nameSv: 'Namn (svenska)',
  nameEn: 'Namn (engelska)',
  durationMin: 'Längd (minuter)',
  contactModes: 'Kontaktsätt',
  professions: 'Får utföras av',
  cancelCutoffH: 'Avbokning senast (timmar före)',
  rebookCutoffH: 'Ombokning senast (timmar före)',
  reasonNew: 'Orsak vid ny bokning',
  reasonCancel: 'Orsak vid avbokning',
  reasonRebook: 'Orsak vid ombokning',
  reasonCodes: 'Orsakskoder',
  textSv: 'Text (svenska)',
  textEn: 'Text (engelska)',
  bookMinLeadH: 'Bokas minst (timmar i förväg)',
  bookMaxDays: 'Bokas högst (dagar framåt)',
  colour: 'Färg',
  webBookable: 'Kan bokas på webben',
  invitationOnly: 'Endast efter kallelse',
  webCancellable: 'Kan avbokas på webben',
  webRebookable: 'Kan bokas om på webben',
  // schedule templates and the free-slot search
  weekdays: 'Veckodagar',
  everyNWeeks: 'Var n:e vecka',
  validFrom: 'Gäller från',
  validTo: 'Gäller till',
  startTime: 'Från kl.',
  endTime: 'Till kl.',
  slotMin: 'Tidslängd (minuter)',
  appointmentTypeIds: 'Besökstyper',
  horizonWeeks: 'Antal veckor framåt',
  weeks: 'Veckor framåt',
  limit: 'Antal',
  from: 'Från och med',
  to: 'Till och med',
  date: 'Datum',
  // slots.create: which pass of a time the autumn clock shows twice (the start's, the end's)
  utcOffset: 'Sommartid eller vintertid',
  endUtcOffset: 'Sluttidens sommartid eller vintertid',
  fromTime: 'Från kl.',
  toTime: 'Till kl.',
  resourceId: 'Resurs',
  profession: 'Yrke',
  // patients (the patient form's labels)
  query: 'Sökord',
  identityNumber: 'Personnummer',
  givenName: 'Förnamn',
  familyName: 'Efternamn',
  phone: 'Telefon',
  email: 'E-post',
  address: 'Adress',
  protectedIdentity: 'Skyddad identitet',
  // bookings (the booking dialog's labels)
  slotId: 'Tid',
  patientId: 'Patient',
  appointmentTypeId: 'Besökstyp',
  contactMode: 'Kontaktsätt',
  channel: 'Kanal',
  note: 'Anteckning',
  reasonText: 'Orsak',
  reasonCode: 'Orsakskod',
  status: 'Status',
  waitlistEntryId: 'Post på återbudslistan',
  // absences and blocked slots (the absence form's labels), absence rebooking
  reason: 'Orsak',
  searchDays: 'Antal dagar att söka',
  bookingId: 'Bokning',
  items: 'Bokningar att flytta',
  // the rest of the scheduling forms
  template: 'Schemamall',
  changes: 'Ändringar',
  active: 'Aktiv',
  year: 'År',
  value: 'Personnummer',
};

/**
 * Names one method means otherwise than the table: calendar.range's and templates.preview's `to`
 * is the first day NOT shown (the range is [from, to), and their callers rely on it), everywhere
 * else the last day included.
 */
const EXCLUSIVE_TO = { to: 'Till (första dagen som inte visas)' };
const METHOD_LABELS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'calendar.range': EXCLUSIVE_TO,
  'templates.preview': EXCLUSIVE_TO,
};

/** The method whose input is being parsed (zod parses synchronously: set only inside withMethodLabels). */
let parsing: string | undefined;

/** Runs `parse` (a method's input schema's safeParse) so that its messages name fields as that method means them. */
export function withMethodLabels<T extends { success: boolean; error?: unknown }>(method: string, parse: () => T): T {
  const outer = parsing;
  parsing = method;
  try {
    const result = parse();
    // zod words its messages on the first read of `error`: read it while this method's names apply.
    if (!result.success) void result.error;
    return result;
  } finally {
    parsing = outer;
  }
}

/** The label of the innermost named field of a zod issue path, if it has one. */
export function fieldLabel(path: readonly PropertyKey[] | undefined): string | undefined {
  const own = parsing === undefined ? undefined : METHOD_LABELS[parsing];
  for (let i = (path?.length ?? 0) - 1; i >= 0; i--) {
    const key = path![i];
    if (typeof key !== 'string') continue;
    if (own && Object.hasOwn(own, key)) return own[key];
    return Object.hasOwn(LABELS, key) ? LABELS[key] : undefined;
  }
  return undefined;
}
