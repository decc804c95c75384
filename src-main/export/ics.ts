// ICS (RFC 5545) with ical-generator: one VEVENT per booking (or per free slot), UIDs from our
// UUIDs so a re-import updates instead of duplicating, SEQUENCE from the row's version, times in
// Europe/Stockholm with its VTIMEZONE so Outlook and Thunderbird place them right on both sides
// of the DST Sundays (in UTC when the autumn night's doubled hour would make them ambiguous).
// Events are written one by one between the calendar's head and tail, so a large export is
// streamed like the other formats.
import type { Writable } from 'node:stream';
import { TZDate } from '@date-fns/tz';
import ical, {
  foldLines,
  ICalCalendarMethod,
  ICalEvent,
  ICalEventBusyStatus,
  ICalEventStatus,
  ICalEventTransparency,
} from 'ical-generator';
import { CHANNEL_SV, MODE_SV, STATUS_SV } from './columns.ts';
import { localClock, type LocalClock } from './local-clock.ts';
import type { ExportQuery, ExportRow, PatientTally } from './query.ts';
import { endStream, writeChunk } from './stream.ts';

/**
 * VTIMEZONE for the zones whose rules we know without a tz download: Central European Time
 * with the EU rule (since 1996: summer time from the last Sunday of March 01:00 UTC to the last
 * Sunday of October 01:00 UTC, i.e. 02:00 -> 03:00 and 03:00 -> 02:00 local). A test checks
 * these rules against the platform's tz database day by day.
 */
export function vtimezone(tzid: string): string | null {
  if (tzid !== 'Europe/Stockholm') return null;
  return [
    'BEGIN:VTIMEZONE',
    `TZID:${tzid}`,
    `X-LIC-LOCATION:${tzid}`,
    'BEGIN:DAYLIGHT',
    'TZOFFSETFROM:+0100',
    'TZOFFSETTO:+0200',
    'TZNAME:CEST',
    'DTSTART:19700329T020000',
    'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
    'END:DAYLIGHT',
    'BEGIN:STANDARD',
    'TZOFFSETFROM:+0200',
    'TZOFFSETTO:+0100',
    'TZNAME:CET',
    'DTSTART:19701025T030000',
    'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
    'END:STANDARD',
    'END:VTIMEZONE',
  ].join('\r\n');
}

const HOUR = 3_600_000;

/**
 * Whether the wall clock shows this instant's time twice (02:00–02:59 on the night summer time
 * ends). RFC 5545 reads such a DTSTART;TZID as the first of the two, ical.js as the second, so a
 * night slot there would land an hour off in one calendar or the other: its event is written in UTC.
 */
function shownTwice(clock: LocalClock, instant: number): boolean {
  const time = clock.time(instant);
  return clock.time(instant - HOUR) === time || clock.time(instant + HOUR) === time;
}

/** The UID of a row's event: the booking's UUID if booked, else the slot's. */
export function eventUid(row: ExportRow): string {
  return row.booking ? `booking-${row.booking.id}@tidbok` : `slot-${row.slotId}@tidbok`;
}

function describe(row: ExportRow): { summary: string; description: string } {
  const b = row.booking;
  if (!b) {
    const what = row.booked ? 'Bokad tid' : row.slotState === 'blocked' ? 'Spärrad tid' : 'Ledig tid';
    return {
      summary: `${what} (${row.offeredTypes.join(', ')})`,
      description: [`Resurs: ${row.resourceName}`, row.webPublished ? 'Publicerad för webbokning' : '']
        .filter(Boolean)
        .join('\n'),
    };
  }
  const who = b.patient ? ` – ${b.patient.name}` : '';
  const lines = [
    `Resurs: ${row.resourceName}`,
    `Besökstyp: ${b.typeName}`,
    `Kontaktsätt: ${MODE_SV[b.contactMode]}`,
    `Status: ${STATUS_SV[b.status]}`,
    `Bokad via: ${CHANNEL_SV[b.channel]}`,
    b.patient?.identityNumber ? `Personnummer: ${b.patient.identityNumber}` : '',
    b.note ? `Anteckning: ${b.note}` : '',
  ];
  return { summary: `${b.typeName}${who}`, description: lines.filter(Boolean).join('\n') };
}

export async function writeIcs(
  query: ExportQuery,
  out: Writable,
  tally: PatientTally,
  options: { stamp: number; unitName: string },
): Promise<void> {
  const tz = query.scope.timeZone;
  const zone = vtimezone(tz);
  if (zone === null) throw new Error(`No VTIMEZONE known for ${tz}`);
  // No calendar-wide time zone: ical-generator would then write DTSTAMP as local time, and
  // RFC 5545 wants it in UTC. Each event names its zone; the VTIMEZONE is written here.
  const calendar = ical({
    prodId: { company: 'Tidbok', product: 'Tidbok', language: 'SV' },
    name: `Tidbok – ${options.unitName}`,
    // PUBLISH: a copy to import (Outlook asks for it), not an invitation to answer.
    method: ICalCalendarMethod.PUBLISH,
    x: [['X-WR-TIMEZONE', tz]],
  });
  // The calendar without events is head + 'END:VCALENDAR'; the zone and the events go in between.
  const empty = calendar.toString();
  const tailAt = empty.lastIndexOf('END:VCALENDAR');
  await writeChunk(out, `${empty.slice(0, tailAt)}${zone}\r\n`);
  const stamp = new Date(options.stamp);
  const clock = localClock(tz);
  for (const page of query.pages(tally)) {
    let chunk = '';
    for (const row of page) {
      const { summary, description } = describe(row);
      const free = !row.booked;
      const local = !shownTwice(clock, row.startAt) && !shownTwice(clock, row.endAt);
      const event = new ICalEvent(
        {
          id: eventUid(row),
          sequence: row.booking ? row.booking.version : row.slotVersion,
          stamp,
          ...(local
            ? { start: new TZDate(row.startAt, tz), end: new TZDate(row.endAt, tz), timezone: tz }
            : { start: new Date(row.startAt), end: new Date(row.endAt) }),
          summary,
          description,
          location: row.resourceName,
          status: row.booking?.status === 'preliminary' ? ICalEventStatus.TENTATIVE : ICalEventStatus.CONFIRMED,
          busystatus: free ? ICalEventBusyStatus.FREE : ICalEventBusyStatus.BUSY,
          transparency: free ? ICalEventTransparency.TRANSPARENT : ICalEventTransparency.OPAQUE,
        },
        calendar,
      );
      chunk += foldLines(event.toString());
      if (!chunk.endsWith('\r\n')) chunk += '\r\n';
    }
    await writeChunk(out, chunk);
  }
  await writeChunk(out, empty.slice(tailAt));
  await endStream(out);
}
