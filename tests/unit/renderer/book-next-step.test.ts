// Where Boka tid takes the focus after a patient is chosen, and where Enter on Besökstyp or
// Kontaktsätt goes: what the receptionist fills next, in the dialog's order, else Boka.
import { describe, expect, it } from 'vitest';
import { nextBookStep, type BookFormState } from '../../../src-renderer/booking/next-step.ts';

const settled: BookFormState = { typeSettled: true, modes: 1, missingRequired: false };

describe('nextBookStep', () => {
  it('goes to Boka when nothing is left open', () => {
    expect(nextBookStep(settled)).toBe('submit');
  });

  it('asks for the type first while the time offers several and none was given', () => {
    expect(nextBookStep({ typeSettled: false, modes: 2, missingRequired: true })).toBe('type');
  });

  it('then the contact mode when the type offers several, then a reason the type requires', () => {
    expect(nextBookStep({ ...settled, modes: 2, missingRequired: true })).toBe('mode');
    expect(nextBookStep({ ...settled, missingRequired: true })).toBe('required');
  });

  it('after Enter on the type or the mode, moves past it', () => {
    const open: BookFormState = { typeSettled: false, modes: 2, missingRequired: true };
    expect(nextBookStep(open, 'type')).toBe('mode');
    expect(nextBookStep(open, 'mode')).toBe('required');
    expect(nextBookStep({ ...open, missingRequired: false }, 'mode')).toBe('submit');
    expect(nextBookStep({ ...open, modes: 1, missingRequired: false }, 'type')).toBe('submit');
  });
});
