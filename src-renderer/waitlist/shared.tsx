// Pieces of återbudslistan that other screens use too: the priority chip, how an entry's patient
// and wish read, "Tillbaka till väntande", the "Från återbudslistan" picker of the booking dialog
// (choose, or offer the time and hold it until the patient answers), and the notice that a freed
// slot fits someone on the list.
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { WaitlistEntry, WaitlistReturnReason } from '../../src-main/api/methods/waitlist.ts';
import { call } from '../api/client.ts';
import { formatIdentity } from '../booking/format.ts';
import { formatDate, formatDateRange, formatDateTime, formatStart } from '../i18n/format.ts';
import { useNotify } from '../booking/notices.tsx';
import { todayIso, wallParts } from '../calendar/wallclock.ts';
import './waitlist.css';
import { displayPhone } from '../patients/phone.ts';

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

/** "När som helst", "från 1 dec", "30 nov – 18 dec". */
export function periodText(e: WaitlistEntry, t: TFunction, lang: string): string {
  if (e.earliest && e.latest) return formatDateRange(e.earliest, e.latest, lang);
  if (e.earliest) return t('waitlist.fromDate', { date: formatDate(e.earliest, lang) });
  if (e.latest) return t('waitlist.toDate', { date: formatDate(e.latest, lang) });
  return t('waitlist.anytime');
}

/** Whole days on the list (the unit's calendar days). */
export function daysWaiting(createdAt: number): number {
  const from = Date.parse(wallParts(createdAt).date);
  return Math.round((Date.parse(todayIso()) - from) / 86_400_000);
}

/**
 * "24 nov 14:00" (compact, the row stays one line), the time an offered patient was called about;
 * marked when she was booked into it outside the list, or when it has passed (nothing held then).
 */
export function OfferedTime({ offered, lang }: { offered: NonNullable<WaitlistEntry['offeredSlot']>; lang: string }) {
  const { t } = useTranslation();
  return (
    <span className={`tb-wl-offered${offered.passed ? ' tb-wl-offered-passed' : ''}`} data-testid="offered-time">
      {offered.startAt !== null && <span className="tb-muted">{formatDateTime(offered.startAt, lang)}</span>}
      {offered.passed ? (
        <span className="tb-wl-offered-passed-note"> {t('waitlist.offeredPassed')}</span>
      ) : (
        offered.taken && <span className="tb-wl-offered-taken"> {t('waitlist.offeredTaken')}</span>
      )}
    </span>
  );
}

const BACK_REASONS: readonly WaitlistReturnReason[] = ['declined', 'no_answer'];

/**
 * Tillbaka till väntande: one button that opens its two reasons in place (the patient said no, or
 * did not answer), so a row stays one line; the access log says which (after no answer a call-back
 * may be worth it). Both keep her place, priority and wishes and release the time for the next patient.
 */
export function BackToWaiting({
  who,
  busy,
  onBack,
  besides,
  stacked = false,
}: {
  who: string;
  busy: boolean;
  onBack: (reason: WaitlistReturnReason) => void;
  /** Shown after the button and hidden while the reasons are open (Ta bort), so the row keeps its width. */
  besides?: ReactNode;
  /** One button a line (a table row's narrow actions cell), instead of side by side. */
  stacked?: boolean;
}) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  const first = useRef<HTMLButtonElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const opened = useRef(false);
  const layout = stacked ? 'tb-wl-back tb-wl-back-stacked' : 'tb-wl-back';
  // The reasons replace the button that opened them: the focus goes to the first, and back when closed.
  useEffect(() => {
    if (asking) first.current?.focus();
    else if (opened.current) opener.current?.focus();
    opened.current = asking;
  }, [asking]);
  if (!asking) {
    return (
      <span className={layout}>
        <button
          type="button"
          className="tb-button tb-small"
          disabled={busy}
          aria-label={t('waitlist.backOpen', { who })}
          ref={opener}
          onClick={() => setAsking(true)}
        >
          {t('waitlist.back')}
        </button>
        {besides}
      </span>
    );
  }
  return (
    <span
      role="group"
      className={layout}
      aria-label={t('waitlist.backGroup', { who })}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          setAsking(false);
        }
      }}
    >
      {BACK_REASONS.map((reason, i) => (
        <button
          key={reason}
          type="button"
          className="tb-button tb-small"
          disabled={busy}
          ref={i === 0 ? first : undefined}
          aria-label={t(`waitlist.backLabel.${reason}`, { who })}
          onClick={() => onBack(reason)}
        >
          {t(`waitlist.backReason.${reason}`)}
        </button>
      ))}
      <button type="button" className="tb-button tb-small" onClick={() => setAsking(false)}>
        {t('common.cancel')}
      </button>
    </span>
  );
}

/** What the notice says after "Tillbaka till väntande": the released time, when one was held. */
export function backDoneText(entry: WaitlistEntry, t: TFunction, lang: string): string {
  const who = entryWho(entry, t);
  const at = entry.offeredSlot?.startAt;
  return at != null ? t('waitlist.backDoneReleased', { who, time: formatStart(at, lang) }) : t('waitlist.backDone', { who });
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
      {entry.patient.identityNumber && <span className="tb-muted tb-nowrap">{formatIdentity(entry.patient.identityNumber)}</span>}
    </>
  );
}

/**
 * The booking dialog's "Från återbudslistan": the waiting patients who fit this free slot,
 * highest priority first; one click chooses the patient (and the entry, so the booking closes it).
 * Renders nothing when nobody fits.
 */
export function WaitlistMatches({
  slotId,
  heldElsewhere,
  onChoose,
}: {
  slotId: string;
  /** Offered on another desk's återbudslista: her patients may be booked into it (after the yes), not offered it. */
  heldElsewhere?: boolean;
  onChoose: (entry: WaitlistEntry) => void;
}) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const notify = useNotify();
  const [busy, setBusy] = useState(false);
  const matches = useQuery({
    queryKey: ['waitlist.matchesForSlot', slotId],
    queryFn: () => call('waitlist.matchesForSlot', { slotId }),
  });
  const list = matches.data ?? [];
  if (list.length === 0) return null;
  const lang = i18n.language;
  // One patient at a time is called about this time: while she is, nobody else is offered it.
  const holder = list.find((e) => e.state === 'offered' && e.offeredSlot?.id === slotId) ?? null;

  async function act(run: () => Promise<WaitlistEntry>, done: (e: WaitlistEntry) => string) {
    setBusy(true);
    try {
      notify('ok', done(await run()));
    } catch (err) {
      notify('error', (err as Error).message);
    } finally {
      setBusy(false);
      await client.invalidateQueries({ queryKey: ['waitlist.matchesForSlot', slotId] });
      void client.invalidateQueries({ queryKey: ['waitlist.list'] });
    }
  }
  return (
    <section className="tb-wl-matches" aria-labelledby={`wl-matches-${slotId}`} data-testid="waitlist-matches">
      <h3 id={`wl-matches-${slotId}`}>
        {t('waitlist.matches.title')} <span className="tb-muted tb-wl-matches-lead">{t('waitlist.matches.lead')}</span>
      </h3>
      <ul>
        {list.slice(0, 6).map((e) => (
          <li key={e.id} data-entry-id={e.id}>
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
                  t('waitlist.sinceShort', { date: formatDate(wallParts(e.createdAt).date, lang) }),
                  // Called about another time and not answered yet: worth knowing before calling again.
                  e.state === 'offered' && e.offeredSlot?.id !== slotId ? t('waitlist.matches.offeredOther') : null,
                  displayPhone(e.patient.phone),
                  e.note,
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </span>
            </button>
            {holder === e ? (
              <span className="tb-wl-match-offer tb-wl-match-held">
                <span className="tb-status-chip tb-wl-state-offered">{t('waitlist.matches.offeredHere')}</span>
                <BackToWaiting
                  who={entryWho(e, t)}
                  busy={busy}
                  onBack={(reason) =>
                    void act(
                      () => call('waitlist.markWaiting', { id: e.id, reason }),
                      () => backDoneText(e, t, lang),
                    )
                  }
                />
              </span>
            ) : (
              !holder &&
              !heldElsewhere && (
                <button
                  type="button"
                  className="tb-button tb-small tb-wl-match-offer"
                  disabled={busy}
                  aria-label={t('waitlist.matches.offerLabel', { who: entryWho(e, t) })}
                  onClick={() =>
                    void act(
                      () => call('waitlist.markOffered', { id: e.id, slotId }),
                      () => t('waitlist.matches.offeredDone', { who: entryWho(e, t) }),
                    )
                  }
                >
                  {t('waitlist.matches.offer')}
                </button>
              )
            )}
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
