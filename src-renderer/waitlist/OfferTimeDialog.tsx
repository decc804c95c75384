// "Erbjud tid" from återbudslistan: the first free times that fit the entry's wish (type, clinician
// or profession, period; main's free-slot search less the times held for another patient), and
// one click holds the chosen time for her, the same hold as "Erbjud tiden" in the booking dialog,
// until she answers (booked from the list, or Tillbaka till väntande) or the time is gone.
import { useEffect, useRef, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { FreeSlot } from '../../src-main/api/methods/scheduling.ts';
import type { WaitlistEntry } from '../../src-main/api/methods/waitlist.ts';
import { call } from '../api/client.ts';
import { formatDay, formatStart, formatTimeSpan } from '../i18n/format.ts';
import { useNotify } from '../booking/notices.tsx';
import { wallParts } from '../calendar/wallclock.ts';
import { Dialog } from '../keyboard/Dialog.tsx';
import { EntryPatient, entryWho, periodText, wishText } from './shared.tsx';
import { displayPhone } from '../patients/phone.ts';

/** How many times the dialog lists: a call is about one of the first few, not a calendar. */
const SHOWN = 8;

export function OfferTimeDialog({ entry, onClose }: { entry: WaitlistEntry; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const client = useQueryClient();
  const notify = useNotify();
  const who = entryWho(entry, t);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const times = useQuery({
    queryKey: ['waitlist.offerableSlots', entry.id],
    queryFn: () => call('waitlist.offerableSlots', { id: entry.id, limit: SHOWN }),
  });
  const list = times.data ?? [];
  // The times arrive after the dialog opened: the first takes the focus then (Enter offers it).
  const first = useRef<HTMLButtonElement>(null);
  const loaded = times.data !== undefined;
  useEffect(() => {
    if (loaded) first.current?.focus();
  }, [loaded]);

  async function offer(slot: FreeSlot) {
    setBusy(true);
    setError(null);
    try {
      await call('waitlist.markOffered', { id: entry.id, slotId: slot.slotId });
      notify('ok', t('waitlist.offerTime.done', { who, time: formatStart(slot.startAt, lang) }));
      void client.invalidateQueries({ queryKey: ['waitlist.list'] });
      onClose();
    } catch (err) {
      // Taken or held for someone else meanwhile: said here, and the list is read again.
      setError((err as Error).message);
      setBusy(false);
      void times.refetch();
    }
  }

  return (
    <Dialog title={t('waitlist.offerTime.title')} onClose={onClose} testId="offer-time-dialog">
      <p className="tb-dialog-lead tb-wl-offer-who">
        <EntryPatient entry={entry} />
        {entry.patient.phone && (
          <span className="tb-wl-offer-phone">
            {t('waitlist.offerTime.phone')} <strong>{displayPhone(entry.patient.phone)}</strong>
          </span>
        )}
      </p>
      <p className="tb-muted tb-wl-offer-wish">
        {[
          lang === 'en' ? entry.appointmentTypeName.en : entry.appointmentTypeName.sv,
          wishText(entry, t),
          periodText(entry, t, lang),
        ].join(' · ')}
      </p>
      {times.isPending ? (
        <p className="tb-muted">{t('app.loading')}</p>
      ) : times.error ? (
        <p className="tb-form-error" role="alert">
          {times.error.message}
        </p>
      ) : list.length === 0 ? (
        <p className="tb-empty" data-testid="offer-time-none">
          {t('waitlist.offerTime.none')}
        </p>
      ) : (
        <>
          <p className="tb-wl-offer-lead" id={`offer-lead-${entry.id}`}>
            {t('waitlist.offerTime.lead', { count: list.length })}
          </p>
          <ul className="tb-wl-times" aria-labelledby={`offer-lead-${entry.id}`} data-testid="offer-times">
            {list.map((slot, i) => {
              const day = formatDay(wallParts(slot.startAt).date, lang);
              const span = formatTimeSpan(slot.startAt, slot.endAt, lang);
              return (
                <li key={slot.slotId} data-slot-id={slot.slotId}>
                  <button
                    type="button"
                    className="tb-wl-time"
                    disabled={busy}
                    ref={i === 0 ? first : undefined}
                    aria-label={t('waitlist.offerTime.offerLabel', { when: `${day} ${span}`, resource: slot.resourceName, who })}
                    onClick={() => void offer(slot)}
                  >
                    <span className="tb-wl-time-day">{day}</span>
                    <strong className="tb-wl-time-span">{span}</strong>
                    <span className="tb-wl-time-resource">{slot.resourceName}</span>
                    <span className="tb-wl-time-web">
                      {slot.webPublished && <span className="tb-mark tb-mark-web tb-mark-inline">1177</span>}
                    </span>
                    <span className="tb-wl-time-offer" aria-hidden="true">
                      {t('waitlist.offerTime.offer')}
                    </span>
                  </button>
                </li>
              );
            })}
          </ul>
          <p className="tb-hint">{t('waitlist.offerTime.holdHint')}</p>
        </>
      )}
      {error && (
        <p className="tb-form-error" role="alert">
          {error}
        </p>
      )}
      <div className="tb-dialog-actions">
        <button type="button" className="tb-button" onClick={onClose}>
          {t('common.cancel')}
        </button>
      </div>
    </Dialog>
  );
}
