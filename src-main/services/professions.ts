// Profession codes (lakare, sjukskoterska, ...) join clinicians to the appointment types they may
// perform, by exact match. A scheduler types them as she says them ("Lakare", "LAKARE"), so a code
// the unit already uses is written as the unit spells it; only a new profession is kept as typed.
import type { ServiceContext } from './context.ts';

/** `input` as the unit already spells that profession (resources' and types' codes), whatever the case. */
export function asKnownProfession(ctx: ServiceContext, input: string): string {
  // Spaces around a pasted code are no part of it (resources and types store theirs trimmed).
  const typed = input.trim();
  const folded = typed.toLocaleUpperCase('sv');
  const known = ctx.db
    .prepare(
      `SELECT profession AS code FROM resources WHERE profession IS NOT NULL
       UNION SELECT p.value FROM appointment_types t, json_each(t.professions) p`,
    )
    .pluck()
    .all() as string[];
  return known.includes(typed) ? typed : (known.find((k) => k.toLocaleUpperCase('sv') === folded) ?? typed);
}

/** A type's professions as the unit spells them; two spellings of one profession become one. */
export function asKnownProfessions(ctx: ServiceContext, typed: readonly string[]): string[] {
  return [...new Set(typed.map((p) => asKnownProfession(ctx, p)))];
}
