// Small rules of the export files: initials for pseudonymised exports, Excel's sheet names.
import { describe, expect, it } from 'vitest';
import { initials } from '../../../src-main/export/query.ts';
import { sheetName } from '../../../src-main/export/xlsx.ts';

describe('initials', () => {
  it('takes the first letter of every given and family name, double names included', () => {
    expect(initials('Märta', 'Ångström')).toBe('M. Å.');
    expect(initials('Karl-Erik', 'Lund')).toBe('K.E. L.');
    expect(initials('anna maria', 'von Essen')).toBe('A.M. V.E.');
    expect(initials('Öjvind', '')).toBe('Ö.');
  });
});

describe('sheetName', () => {
  it('obeys Excel: at most 31 characters, none of []:*?/\\, unique ignoring case', () => {
    const taken = new Set<string>();
    expect(sheetName('Provtagningsrum 1', taken)).toBe('Provtagningsrum 1');
    expect(sheetName('provtagningsrum 1', taken)).toBe('provtagningsrum 1 2');
    expect(sheetName('Rum [A]: 1/2?', taken)).toBe('Rum A 1 2');
    const long = sheetName('Distriktssköterskemottagningen Öster', taken);
    expect(long.length).toBeLessThanOrEqual(31);
    const again = sheetName('Distriktssköterskemottagningen Öster', taken);
    expect(again.length).toBeLessThanOrEqual(31);
    expect(again).not.toBe(long);
    expect(sheetName('***', taken)).toBe('Blad');
  });
});
