// One booking: who, what, when, how it was booked; mark arrived / no-show / completed (or undo),
// cancel with the reason the type asks for, open the patient. Rebooking is a drag in the calendar.
import { useEffect, useRef, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Booking } from '../../src-main/api/types.ts';
import { call } from '../api/client.ts';
import { Dialog } from '../keyboard/Dialog.tsx';
import { applyBookingChange } from '../calendar/ranges.ts';
import { useNotify } from './notices.tsx';
import { useWaitlistHint } from '../waitlist/shared.tsx';
import { formatIdentity } from './format.ts';
import { formatSpan, formatStart } from '../i18n/format.ts';
import { ReasonFields } from './ReasonFields.tsx';
import { BookingNote } from './BookingNote.tsx';
import { OverrideField, withRefusedRule } from './override.tsx';
import type { OverridableRule } from '../../src-main/api/methods/scheduling.ts';
import { todayIso, wallParts } from '../calendar/wallclock.ts';

export interface BookingDialogProps {
  bookingId: string;
  onClose: () => void;
  onOpenPatient: (patientId: string) => void;
  /** Rebook without dragging: pick the new slot in the calendar or in Första lediga tid. */
  onRebook?: (booking: Booking) => void;
}

const ACTIVE = new Set(['preliminary', 'booked', 'arrived', 'no_show']);
const MARKED = new Set(['arrived', 'no_show', 'completed']);

export function BookingDialog({ bookingId, onClose, onOpenPatient, onRebook }: BookingDialogProps) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const notify = useNotify();
  const hintWaitlist = useWaitlistHint();
  const detail = useQuery({ queryKey: ['bookings.get', bookingId], queryFn: () => call('bookings.get', { id: bookingId }) });
  const [cancelling, setCancelling] = useState(false);
  const [reasonCode, setReasonCode] = useState('');
  const [reasonText, setReasonText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [overrideRules, setOverrideRules] = useState<OverridableRule[]>([]);
  const [overrideReason, setOverrideReason] = useState('');
  const [noteDirty, setNoteDirty] = useState(false);
  const b = detail.data;
  // Avboka … is gone once pressed: the focus goes to the first thing to fill in, not to the page;
  // Tillbaka gives it back to Avboka ….
  const cancelForm = useRef<HTMLFormElement>(null);
  const cancelOpener = useRef<HTMLButtonElement>(null);
  const wasCancelling = useRef(false);
  useEffect(() => {
    if (cancelling) cancelForm.current?.querySelector<HTMLElement>('select, input, button[type="submit"]')?.focus();
    else if (wasCancelling.current) cancelOpener.current?.focus();
    wasCancelling.current = cancelling;
  }, [cancelling]);

  async function act(run: () => Promise<Booking>, done: (x: Booking) => string, remove = false) {
    setBusy(true);
    setError(null);
    try {
      const result = await run();
      applyBookingChange(client, remove ? [result.id] : [], remove ? [] : [result]);
      notify('ok', done(result));
      onClose();
    } catch (err) {
      setError((err as Error).message);
      setOverrideRules((shown) => withRefusedRule(shown, err));
      setBusy(false);
    }
  }

  const name = b ? (b.patient.protectedIdentity ? t('calendar.protected') : b.patient.displayName) : '';
  const when = b ? formatSpan(b.startAt, b.endAt, i18n.language, true) : '';
  // A reason as the desk chose it: the code's text in the type's list, then any free text. Why the
  // patient booked stays shown once the booking is cancelled or moved, next to why that was.
  const codeText = (code: string) => {
    const c = b?.appointmentType.reasonCodes.find((x) => x.code === code);
    return c ? (i18n.language === 'en' ? c.textEn : c.textSv) : t(`booking.reasonCode.${code}`, { defaultValue: code });
  };
  const reasonOf = (code: string | null, text: string | null) => [code && codeText(code), text].filter(Boolean).join(' – ');
  const visitReason = b ? reasonOf(b.reasonCode, b.reasonText) : '';
  const ended = b?.status === 'cancelled' || b?.status === 'rebooked' ? b.status : null;
  const endReason = b && ended ? reasonOf(b.cancelReasonCode, b.cancelReasonText) : '';
  const started = b ? b.startAt <= Date.now() : false;
  // Main says 'not active' of a marked visit too: the desk reads that it is marked.
  const onlineNo =
    b?.onlineCancel.reason === 'not_active' && MARKED.has(b.status) ? 'marked' : (b?.onlineCancel.reason ?? 'type_disallows');
  // Marks belong to the day of the visit (main refuses them earlier): no button that can only fail.
  const visitDay = b ? wallParts(b.startAt).date <= todayIso() : false;
  /** A button that marks the visit (or takes a mark back) and says so. */
  const markButton = (status: 'arrived' | 'no_show' | 'completed' | 'booked', label: string, done: string, primary = false) => (
    <button
      type="button"
      className={primary ? 'tb-button tb-primary' : 'tb-button'}
      disabled={busy}
      onClick={() =>
        void act(
          () => call('bookings.mark', { id: b!.id, status }),
          () => t(done, { name }),
        )
      }
    >
      {t(label)}
    </button>
  );

  return (
    <Dialog title={t('booking.title')} onClose={onClose} testId="booking-dialog" unsaved={noteDirty}>
      {detail.error && <p role="alert">{detail.error.message}</p>}
      {!b ? (
        !detail.error && <p>{t('app.loading')}</p>
      ) : (
        <div className="tb-form">
          <dl className="tb-facts">
            <dt>{t('booking.patient')}</dt>
            <dd>
              <strong>{name}</strong> <span className="tb-muted">{formatIdentity(b.patient.identityNumber)}</span>
              {b.patient.protectedIdentity && <span className="tb-protected-mark">{t('patients.protectedMark')}</span>}
            </dd>
            <dt>{t('booking.when')}</dt>
            <dd>
              {when} · {b.resourceName}
            </dd>
            <dt>{t('booking.type')}</dt>
            <dd>
              <span className="tb-swatch" style={{ background: b.appointmentType.colour }} aria-hidden="true" />{' '}
              {i18n.language === 'en' ? b.appointmentType.nameEn : b.appointmentType.nameSv} · {t(`mode.${b.contactMode}`)}
              {!b.appointmentType.active && <span className="tb-muted"> · {t('booking.typeInactive')}</span>}
            </dd>
            <dt>{t('booking.status')}</dt>
            <dd>
              <span className={`tb-status-chip tb-chip-${b.status}`} data-testid="booking-status">
                {t(`calendar.status.${b.status}`)}
              </span>{' '}
              · {b.channel === 'web' ? <span className="tb-mark tb-mark-web">1177</span> : t(`calendar.channel.${b.channel}`)}
            </dd>
            {visitReason && (
              <>
                <dt>{t('booking.reasonFor.visit')}</dt>
                <dd data-testid="booking-reason">{visitReason}</dd>
              </>
            )}
            {endReason && (
              <>
                <dt>{t(`booking.reasonFor.${ended}`)}</dt>
                <dd data-testid="booking-cancel-reason">{endReason}</dd>
              </>
            )}
            <BookingNote
              booking={b}
              editable={!!b.patient.id}
              onDirty={setNoteDirty}
              onStale={async () => (await detail.refetch()).data}
              onSaved={(saved) => {
                applyBookingChange(client, [], [saved]);
                void client.invalidateQueries({ queryKey: ['bookings.get', bookingId] });
              }}
            />
            <dt>{t('booking.online')}</dt>
            <dd className="tb-muted">
              {b.onlineCancel.deadline && (b.onlineCancel.allowed || onlineNo === 'deadline_passed')
                ? t(b.onlineCancel.allowed ? 'booking.onlineUntil' : 'booking.onlineClosedAt', {
                    when: formatStart(b.onlineCancel.deadline, i18n.language),
                  })
                : t(`booking.onlineNo.${onlineNo}`)}
            </dd>
          </dl>
          {ACTIVE.has(b.status) && !cancelling && (
            <div className="tb-dialog-actions tb-actions-left">
              {(b.status === 'booked' || b.status === 'preliminary') && visitDay && (
                <>
                  {markButton('arrived', 'booking.arrived', 'booking.markedArrived', true)}
                  {started && markButton('no_show', 'booking.noShow', 'booking.markedNoShow')}
                </>
              )}
              {b.status === 'arrived' && markButton('completed', 'booking.completed', 'booking.markedCompleted', true)}
              {(b.status === 'arrived' || b.status === 'no_show') &&
                markButton('booked', 'booking.undoMark', 'booking.markUndone')}
              {!started && onRebook && (b.status === 'booked' || b.status === 'preliminary') && (
                <button type="button" className="tb-button" onClick={() => onRebook(b)} disabled={busy}>
                  {t('booking.rebook')}
                </button>
              )}
              {!started && (
                <button
                  ref={cancelOpener}
                  type="button"
                  className="tb-button tb-danger"
                  onClick={() => setCancelling(true)}
                  disabled={busy}
                >
                  {t('booking.cancel')}
                </button>
              )}
              {b.patient.id && (
                <button type="button" className="tb-button" onClick={() => onOpenPatient(b.patient.id)}>
                  {t('booking.openPatient')}
                </button>
              )}
            </div>
          )}
          {!ACTIVE.has(b.status) && (
            <div className="tb-dialog-actions tb-actions-left">
              {b.status === 'completed' && markButton('booked', 'booking.undoMark', 'booking.markUndone')}
              {b.patient.id && (
                <button type="button" className="tb-button" onClick={() => onOpenPatient(b.patient.id)}>
                  {t('booking.openPatient')}
                </button>
              )}
            </div>
          )}
          {ACTIVE.has(b.status) && !cancelling && !started && <p className="tb-muted tb-hint">{t('booking.rebookHint')}</p>}
          {cancelling && (
            <form
              ref={cancelForm}
              className="tb-form"
              onSubmit={(e) => {
                e.preventDefault();
                void act(
                  () =>
                    call('bookings.cancel', {
                      id: b.id,
                      ...(reasonCode ? { reasonCode } : {}),
                      ...(reasonText.trim() ? { reasonText: reasonText.trim() } : {}),
                      ...(overrideRules.length > 0 ? { override: { reason: overrideReason, rules: overrideRules } } : {}),
                    }),
                  (x) => {
                    hintWaitlist(x.slotId);
                    return t('booking.cancelled', { name, when });
                  },
                  true,
                );
              }}
            >
              <ReasonFields
                rule={b.appointmentType.reasonCancel}
                codes={b.appointmentType.reasonCodes}
                code={reasonCode}
                text={reasonText}
                onCode={setReasonCode}
                onText={setReasonText}
                legend={t('booking.cancelReason')}
              />
              {error && (
                <p role="alert" className="tb-form-error">
                  {error}
                </p>
              )}
              {overrideRules.length > 0 && <OverrideField value={overrideReason} onChange={setOverrideReason} />}
              <div className="tb-dialog-actions">
                <button type="button" className="tb-button" onClick={() => setCancelling(false)}>
                  {t('common.back')}
                </button>
                <button type="submit" className="tb-button tb-danger-solid" disabled={busy}>
                  {overrideRules.length > 0 ? t('override.cancel') : t('booking.confirmCancel')}
                </button>
              </div>
            </form>
          )}
          {error && !cancelling && (
            <p role="alert" className="tb-form-error">
              {error}
            </p>
          )}
        </div>
      )}
    </Dialog>
  );
}
