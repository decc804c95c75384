// The resource calendar: the one component that knows FullCalendar, so the version can change.
// Bookings are events; free and blocked slots are background events (cheap to render, and
// booked via click rather than drag). Stable test hooks: data-resource-id on resource headers,
// data-booking-id on bookings, data-slot-id on slots.
import { useEffect, useMemo, useRef } from 'react';
import FullCalendar from '@fullcalendar/react';
import resourceTimeGridPlugin from '@fullcalendar/resource-timegrid';
import interactionPlugin from '@fullcalendar/interaction';
import type { EventInput, EventMountArg } from '@fullcalendar/core';
import type { ResourceInput } from '@fullcalendar/resource';
import svLocale from '@fullcalendar/core/locales/sv';
import enLocale from '@fullcalendar/core/locales/en-gb';
import { useTranslation } from 'react-i18next';
import type { AppointmentType, CalendarRange } from '../../src-main/api/types.ts';
import { toWall, wallNow } from './wallclock.ts';

export interface ResourceCalendarProps {
  date: string;
  data: CalendarRange;
  types: AppointmentType[];
}

const LICENSE_KEY = 'GPL-My-Project-Is-Open-Source';

export function ResourceCalendar({ date, data, types }: ResourceCalendarProps) {
  const { t, i18n } = useTranslation();
  const ref = useRef<FullCalendar>(null);
  useEffect(() => {
    ref.current?.getApi().gotoDate(date);
  }, [date]);
  const typeById = useMemo(() => new Map(types.map((x) => [x.id, x])), [types]);

  const resources: ResourceInput[] = useMemo(
    () =>
      data.resources.map((r) => ({
        id: r.id,
        title: r.name,
        extendedProps: { subtitle: r.title ?? '' },
      })),
    [data.resources],
  );

  const events: EventInput[] = useMemo(() => {
    const bookedSlots = new Set(data.bookings.map((b) => b.slotId));
    const out: EventInput[] = [];
    for (const s of data.slots) {
      if (bookedSlots.has(s.id)) continue;
      const blocked = s.state === 'blocked';
      out.push({
        id: `slot:${s.id}`,
        resourceId: s.resourceId,
        start: toWall(s.startAt),
        end: toWall(s.endAt),
        display: 'background',
        classNames: [blocked ? 'tb-slot-blocked' : 'tb-slot-free', s.webPublished ? 'tb-slot-web' : 'tb-slot-local'],
        extendedProps: { slotId: s.id },
      });
    }
    for (const b of data.bookings) {
      const type = typeById.get(b.appointmentTypeId);
      const name = b.patient.protectedIdentity ? t('calendar.protected') : b.patient.displayName;
      out.push({
        id: `booking:${b.id}`,
        resourceId: b.resourceId,
        start: toWall(b.startAt),
        end: toWall(b.endAt),
        title: name,
        backgroundColor: type?.colour ?? '#4a78b5',
        borderColor: type?.colour ?? '#4a78b5',
        classNames: ['tb-booking', `tb-status-${b.status}`, `tb-channel-${b.channel}`],
        extendedProps: {
          bookingId: b.id,
          slotId: b.slotId,
          typeName: type ? (i18n.language === 'en' ? type.nameEn : type.nameSv) : '',
          status: b.status,
          channel: b.channel,
        },
      });
    }
    return out;
  }, [data, typeById, t, i18n.language]);

  function eventDidMount(arg: EventMountArg) {
    const props = arg.event.extendedProps as {
      bookingId?: string;
      slotId?: string;
      status?: string;
      channel?: string;
      typeName?: string;
    };
    if (props.bookingId) {
      arg.el.dataset['bookingId'] = props.bookingId;
      arg.el.dataset['status'] = props.status ?? '';
      arg.el.dataset['channel'] = props.channel ?? '';
      arg.el.setAttribute(
        'aria-label',
        `${arg.event.title}, ${props.typeName ?? ''}, ${t(`calendar.status.${props.status ?? 'booked'}`)}, ${t(`calendar.channel.${props.channel ?? 'desk'}`)}`,
      );
    } else if (props.slotId) {
      arg.el.dataset['slotId'] = props.slotId;
    }
  }

  return (
    <FullCalendar
      plugins={[resourceTimeGridPlugin, interactionPlugin]}
      schedulerLicenseKey={LICENSE_KEY}
      initialView="resourceTimeGridDay"
      ref={ref}
      initialDate={date}
      timeZone="UTC"
      now={() => wallNow()}
      nowIndicator
      locale={i18n.language === 'en' ? enLocale : svLocale}
      headerToolbar={false}
      allDaySlot={false}
      slotMinTime="07:00:00"
      slotMaxTime="17:30:00"
      slotDuration="00:15:00"
      slotLabelInterval="01:00"
      scrollTime="07:30:00"
      expandRows
      height="100%"
      resources={resources}
      resourceOrder="sortOrder"
      events={events}
      eventDidMount={eventDidMount}
      resourceLabelDidMount={(arg) => {
        arg.el.dataset['resourceId'] = arg.resource.id;
      }}
      resourceLabelContent={(arg) => (
        <div className="tb-resource-label">
          <span className="tb-resource-name">{arg.resource.title}</span>
          <span className="tb-resource-title">{String(arg.resource.extendedProps['subtitle'] ?? '')}</span>
        </div>
      )}
      eventContent={(arg) => {
        const props = arg.event.extendedProps as { typeName?: string; channel?: string; status?: string };
        if (arg.event.display === 'background') return null;
        return (
          <div className="tb-event">
            <span className="tb-event-time">{arg.timeText}</span>
            <span className="tb-event-name">{arg.event.title}</span>
            <span className="tb-event-type">{props.typeName}</span>
            {props.channel === 'web' && (
              <span className="tb-event-channel" title={t('calendar.channel.web')} aria-hidden="true">
                1177
              </span>
            )}
          </div>
        );
      }}
    />
  );
}
