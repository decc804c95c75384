// Phone numbers are stored as typed and shown grouped as a Swedish receptionist reads them aloud.
import { describe, expect, it } from 'vitest';
import { displayPhone } from '../../../src-renderer/patients/phone.ts';

describe('a patient phone number as the desk reads it', () => {
  it.each([
    ['0704833311', '070-483 33 11'],
    ['070 483 33 11', '070-483 33 11'],
    ['+46704833311', '070-483 33 11'],
    ['0046 70 483 33 11', '070-483 33 11'],
    ['0812345678', '08-123 456 78'],
    ['031123456', '031-12 34 56'],
    ['+4570123456', '+45 70 12 34 56'],
  ])('%s reads as %s', (stored, shown) => {
    expect(displayPhone(stored)).toBe(shown);
  });

  it('shows what is not a valid number as typed, and nothing as nothing', () => {
    expect(displayPhone('ring mamma först')).toBe('ring mamma först');
    expect(displayPhone('0701')).toBe('0701');
    expect(displayPhone(null)).toBeNull();
    expect(displayPhone('')).toBeNull();
  });
});
