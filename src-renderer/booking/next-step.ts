// Where Boka tid takes the focus once a patient is chosen, and where Enter on one of its choices
// goes: to what the receptionist fills next, in the order the dialog shows it. Never to Byt
// patient: a second Enter there would un-choose the patient she just chose.

export type BookStep = 'type' | 'mode' | 'required' | 'submit';

export interface BookFormState {
  /** The type was given (Första lediga tid, the calendar's type filter, återbudslistan), is the only one offered, or was chosen. */
  typeSettled: boolean;
  /** Contact modes the type offers: with several, she asks the caller which. */
  modes: number;
  /** A field the type requires (its reason) is still empty. */
  missingRequired: boolean;
}

/** The first step still open after `after` (or from the top): type, contact mode, a required reason, else Boka. */
export function nextBookStep(state: BookFormState, after?: 'type' | 'mode'): BookStep {
  if (!after && !state.typeSettled) return 'type';
  if (after !== 'mode' && state.modes > 1) return 'mode';
  if (state.missingRequired) return 'required';
  return 'submit';
}
