// A patient on the wire: e-mail and address travel with the phone (other desks need them), the
// unit's tag marks whose patient she is, and an address another system wrote in parts is read as
// the one line the desk keeps.
import { describe, expect, it } from 'vitest';
import { HSA_SYSTEM, patientFields, patientToFhir, type PatientRow } from '../../../src-main/sync/fhir/mapping.ts';

const row: PatientRow = {
  id: '01a20000-0000-7000-8000-000000000001',
  identity_number: '195001109809',
  identity_kind: 'personnummer',
  given_name: 'Maria',
  family_name: 'Ek',
  phone: '070-111 22 33',
  email: 'maria@example.se',
  address: 'Storgatan 1, 123 45 Ort',
  protected_identity: 0,
};

describe('patient mapping', () => {
  it('sends phone, e-mail, address and the unit tag, and reads them back as sent', () => {
    const p = patientToFhir(row, 'SE2321000016-7TST');
    expect(p.meta).toEqual({ tag: [{ system: HSA_SYSTEM, code: 'SE2321000016-7TST' }] });
    expect(patientFields(p, '2026-11-23')).toEqual({
      identityNumber: '195001109809',
      identityKind: 'personnummer',
      givenName: 'Maria',
      familyName: 'Ek',
      phone: '070-111 22 33',
      email: 'maria@example.se',
      address: 'Storgatan 1, 123 45 Ort',
      protectedIdentity: false,
    });
  });

  it('sends no meta without a tag or protection, and none of the contact fields the desk does not have', () => {
    const p = patientToFhir({ ...row, phone: null, email: null, address: null });
    expect(p.meta).toBeUndefined();
    expect(p.telecom).toBeUndefined();
    expect(p.address).toBeUndefined();
    expect(patientFields(p, '2026-11-23')).toMatchObject({ phone: null, email: null, address: null });
  });

  it('keeps the tag beside the protection label', () => {
    const p = patientToFhir({ ...row, protected_identity: 1 }, 'SE2321000016-7TST');
    expect(p.meta?.tag).toHaveLength(1);
    expect(p.meta?.security).toEqual([{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' }]);
    expect(patientFields(p, '2026-11-23')?.protectedIdentity).toBe(true);
  });

  it('reads an address written in parts (line, postal code, city) as one line', () => {
    const p = patientToFhir({ ...row, address: null });
    p.address = [{ line: ['Storgatan 1', 'lgh 1102'], postalCode: '123 45', city: 'Ort' }];
    expect(patientFields(p, '2026-11-23')?.address).toBe('Storgatan 1, lgh 1102, 123 45 Ort');
  });
});
