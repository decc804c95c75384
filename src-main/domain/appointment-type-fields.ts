// An appointment type's fields and their bounds, as one set of rules: staff input through the api
// (api/methods/scheduling.ts) and a type pulled from central (sync/fhir/mapping.ts) are held to
// the same limits, so neither can store a type the other would refuse.
import { z } from 'zod';

export const contactMode = z.enum(['physical', 'video', 'phone']);
export const reasonRule = z.enum(['mandatory', 'optional', 'unsupported']);
export const colour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'Färg ska anges som #RRGGBB.');
// Trimmed: the desk's code is trimmed before it is compared, so a stored ' SJUK ' could never match.
const reasonCode = z
  .object({
    code: z.string().trim().min(1).max(40),
    textSv: z.string().trim().min(1).max(200),
    textEn: z.string().trim().min(1).max(200),
  })
  .strict();

/** The longest booking window a type may have, in calendar days: no slot is bookable further ahead. */
export const MAX_BOOK_DAYS = 1095;

export const appointmentTypeFields = {
  code: z
    .string()
    .trim()
    // Å typed as A + ring (a file saved on a Mac) is one letter, as the rule and the clash check expect.
    .normalize('NFC')
    .min(1)
    .max(40)
    .regex(/^[A-Za-z0-9_ÅÄÖåäö-]+$/, 'Koden får bara innehålla bokstäver, siffror, - och _.'),
  nameSv: z.string().trim().min(1).max(200),
  nameEn: z.string().trim().min(1).max(200),
  durationMin: z.number().int().min(5).max(480),
  contactModes: z
    .array(contactMode)
    .min(1, 'Välj minst ett kontaktsätt.')
    .refine((a) => new Set(a).size === a.length, 'Kontaktsätt får inte upprepas.'),
  professions: z
    .array(z.string().trim().min(1).max(60))
    .max(30)
    .refine((a) => new Set(a).size === a.length, 'Yrkesgrupper får inte upprepas.'),
  webBookable: z.boolean(),
  invitationOnly: z.boolean(),
  webCancellable: z.boolean(),
  webRebookable: z.boolean(),
  cancelCutoffH: z.number().int().min(0).max(8760),
  rebookCutoffH: z.number().int().min(0).max(8760),
  reasonNew: reasonRule,
  reasonCancel: reasonRule,
  reasonRebook: reasonRule,
  reasonCodes: z.array(reasonCode).max(100),
  bookMinLeadH: z.number().int().min(0).max(8760),
  // 0 = today only: a same-day type ("dagens tider", akuttider; migration 0012).
  bookMaxDays: z.number().int().min(0).max(MAX_BOOK_DAYS),
  colour,
};
