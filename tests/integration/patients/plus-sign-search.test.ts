// A number typed with '+' names someone 100 or older (18 § FOL). The search forgives a '+' left
// out (a centenarian typed with '-' is found in the century before), but a '+' typed in is never
// read as a younger person: an outside probe booked a nine-month-old with `tidbok bookings book
// --patient 260210+NNNC` because nobody born 1926-02-10 was registered. "Today" is Monday
// 2026-11-23; check digits come from the independent Luhn oracle.
import { beforeAll, describe, expect, it } from 'vitest';
import { runTidbok } from '../../helpers/cli-process.ts';
import { luhn } from '../../helpers/luhn-oracle.ts';
import { demoApi, type Api } from '../scheduling/helpers.ts';

const MONDAY = '2026-11-23T09:10:00+01:00';
const ten = (yymmdd: string, sep: string, nnn: string) => `${yymmdd}${sep}${nnn}${luhn(yymmdd + nnn)}`;
const twelve = (yyyymmdd: string, nnn: string) => `${yyyymmdd}-${nnn}${luhn(yyyymmdd.slice(2) + nnn)}`;

let api: Api;
const search = async (query: string) => (await api.ok('patients.search', { query, limit: 20 })).map((p) => p.identityNumber);

beforeAll(async () => {
  api = demoApi({ now: Date.parse(MONDAY) });
  for (const [number, given] of [
    [twelve('20260210', '321'), 'Bebis'], // only the child: nobody born 1926-02-10
    [twelve('19250303', '321'), 'Gammal'], // only the centenarian: nobody born 2025-03-03
    [twelve('20260115', '321'), 'Liten'], // both, the same ten digits a century apart
    [twelve('19260115', '321'), 'Stor'],
  ] as const) {
    await api.ok('patients.create', { identityNumber: number, givenName: given, familyName: 'Plus' });
  }
});

describe("search by a 10-digit number with '+' or '-'", () => {
  it.each([
    // '+' typed: 100 or older, never the child with the same ten digits
    [ten('260210', '+', '321'), []],
    // '-' typed for a centenarian (the '+' left out): still found, as before
    [ten('250303', '-', '321'), ['192503033215']],
    [ten('250303', '+', '321'), ['192503033215']],
    [ten('260210', '-', '321'), ['202602103216']],
    // both registered: each form finds its own
    [ten('260115', '-', '321'), ['202601153212']],
    [ten('260115', '+', '321'), ['192601153212']],
  ])('%s finds %j', async (query, expected) => {
    expect(await search(query)).toEqual(expected);
  });

  it("tidbok bookings book --patient with '+' does not book the child, and says whom it looked for", async () => {
    const lakbes = (await api.ok('appointmentTypes.list', {})).find((t) => t.code === 'LAKBES')!;
    const [slot] = await api.ok('slots.findFree', { appointmentTypeId: lakbes.id, from: '2026-12-01', limit: 1 });
    const plus = ten('260210', '+', '321');
    const r = await runTidbok(
      ['bookings', 'book', '--slot', slot!.slotId, '--patient', plus, '--type', 'LAKBES', '--db', api.path],
      MONDAY,
    );
    expect({ code: r.code, out: r.out, err: r.err }).toEqual({
      code: 2,
      out: '',
      err: `tidbok: Ingen patient har nummer 19260210-321${luhn('260210321')} (lägg till med tidbok patients add).\n`,
    });
    expect(api.count(`SELECT count(*) AS n FROM bookings WHERE slot_id = ?`, slot!.slotId)).toBe(0);
  });
});
