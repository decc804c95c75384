// Pieces of återbudslistan that other screens use too: the priority chip, how an entry's patient
// and wish read, the "Från återbudslistan" picker of the booking dialog, and the notice that a
// freed slot fits someone on the list.
import { useCallback } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { WaitlistEntry } from '../../src-main/api/methods/waitlist.ts';
import { call } from '../api/client.ts';
import { formatIdentity } from '../booking/format.ts';
import { useNotify } from '../booking/notices.tsx';
import { todayIso, wallParts } from '../calendar/wallclock.ts';
import './waitlist.css';

/** The name as a list may show it: never a protected identity's. */
export function entryWho(e: WaitlistEntry, t: TFunction): string {
  return e.patient.displayName ?? t('calendar.protected');
}

export function PriorityChip({ priority }: { priority: number }) {
  const { t } = useTranslation();
  return <span className={`tb-wl-prio tb-wl-prio-${priority}`}>{t(`waitlist.priority.p${priority}`)}</span>;
}

/** "Anna Lindqvist", "Läkare" or "Valfri". */
export function wishText(e: WaitlistEntry, t: TFunction): string {
  if (e.resourceName) return e.resourceName;
  if (e.profession) return t(`profession.${e.profession}`, { defaultValue: e.profession });
  return t('waitlist.anyone');
}

/** "1 dec" (no weekday): compact, for periods and since when. */
export function shortDay(date: string, lang: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'sv-SE', { day: 'numeric', month: 'short', timeZone: 'UTC' })
    .format(new Date(Date.UTC(y, m - 1, d)))
    .replace('.', '');
}

/** "När som helst", "från 1 dec", "30 nov – 18 dec". */
export function periodText(e: WaitlistEntry, t: TFunction, lang: string): string {
  if (e.earliest && e.latest) return `${shortDay(e.earliest, lang)} – ${shortDay(e.latest, lang)}`;
  if (e.earliest) return t('waitlist.fromDate', { date: shortDay(e.earliest, lang) });
  if (e.latest) return t('waitlist.toDate', { date: shortDay(e.latest, lang) });
  return t('waitlist.anytime');
}

/** Whole days on the list (the unit's calendar days). */
export function daysWaiting(createdAt: number): number {
  const from = Date.parse(wallParts(createdAt).date);
  return Math.round((Date.parse(todayIso()) - from) / 86_400_000);
}

/** The patient cell: name (or the protected mark) and the identity number when the role may see it. */
export function EntryPatient({ entry }: { entry: WaitlistEntry }) {
  const { t } = useTranslation();
  return (
    <>
      {entry.patient.protectedIdentity ? (
        <span className="tb-protected-mark tb-protected-inline">{t('calendar.protected')}</span>
      ) : (
        <strong>{entry.patient.displayName}</strong>
      )}{' '}
      {entry.patient.identityNumber && <span className="tb-muted">{formatIdentity(entry.patient.identityNumber)}</span>}
    </>
  );
}

/**
 * The booking dialog's "Från återbudslistan": the waiting patients who fit this free slot,
 * highest priority first; one click chooses the patient (and the entry, so the booking closes it).
 * Renders nothing when nobody fits.
 */
export function WaitlistMatches({ slotId, onChoose }: { slotId: string; onChoose: (entry: WaitlistEntry) => void }) {
  const { t, i18n } = useTranslation();
  const matches = useQuery({
    queryKey: ['waitlist.matchesForSlot', slotId],
    queryFn: () => call('waitlist.matchesForSlot', { slotId }),
  });
  const list = matches.data ?? [];
  if (list.length === 0) return null;
  const lang = i18n.language;
  return (
    <section className="tb-wl-matches" aria-labelledby={`wl-matches-${slotId}`} data-testid="waitlist-matches">
      <h3 id={`wl-matches-${slotId}`}>
        {t('waitlist.matches.title')} <span className="tb-muted tb-wl-matches-lead">{t('waitlist.matches.lead')}</span>
      </h3>
      <ul>
        {list.slice(0, 6).map((e) => (
          <li key={e.id}>
            <button
              type="button"
              className="tb-wl-match"
              onClick={() => onChoose(e)}
              aria-label={t('waitlist.matches.chooseLabel', { who: entryWho(e, t) })}
            >
              <PriorityChip priority={e.priority} />
              <span className="tb-wl-match-who">
                <EntryPatient entry={e} />
              </span>
              <span className="tb-wl-match-choose" aria-hidden="true">
                {t('waitlist.matches.choose')}
              </span>
              <span className="tb-wl-match-what">
                {[
                  lang === 'en' ? e.appointmentTypeName.en : e.appointmentTypeName.sv,
                  wishText(e, t),
                  t('waitlist.sinceShort', { date: shortDay(wallParts(e.createdAt).date, lang) }),
                  e.patient.phone,
                  e.note,
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** After a cancellation or a rebooking: "2 på återbudslistan passar den lediga tiden" when anyone fits. */
export function useWaitlistHint(): (freedSlotId: string) => void {
  const { t } = useTranslation();
  const notify = useNotify();
  return useCallback(
    (freedSlotId: string) => {
      // Only the number: no patient is shown, so no read is logged for them.
      void call('waitlist.countForSlot', { slotId: freedSlotId })
        .then(({ count }) => {
          if (count > 0) notify('ok', t('waitlist.freed', { count }));
        })
        // A hint only: the change itself succeeded and was confirmed.
        .catch(() => undefined);
    },
    [notify, t],
  );
}
