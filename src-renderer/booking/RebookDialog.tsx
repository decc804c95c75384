// Confirm a drag-and-drop rebooking: from where, to where, the reason the type asks for. Main
// moves the booking in one transaction (the old one is kept as "ombokad" and points at the new).
// A new time someone else took meanwhile is replaced by one of the next free times, as in Boka tid.
import { useId, useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { AppointmentType, Booking, ContactMode, Resource, Slot } from '../../src-main/api/types.ts';
import { call } from '../api/client.ts';
import { Dialog, FormDialogFooter } from '../keyboard/Dialog.tsx';
import { applyBookingChange } from '../calendar/ranges.ts';
import { useNotify } from './notices.tsx';
import { useWaitlistHint } from '../waitlist/shared.tsx';
import { formatSpan } from '../i18n/format.ts';
import { ReasonFields } from './ReasonFields.tsx';
import { OverrideField, withRefusedRule } from './override.tsx';
import type { OverridableRule } from '../../src-main/api/methods/scheduling.ts';
import { slotTaken, TakenAlternatives, useTakenSlot } from './TakenAlternatives.tsx';

export interface RebookDialogProps {
  booking: Booking;
  slot: Slot;
  types: readonly AppointmentType[];
  resources: readonly Resource[];
  onClose: () => void;
  onRebooked?: () => void;
}

export function RebookDialog({ booking, slot: chosen, types, resources, onClose, onRebooked }: RebookDialogProps) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const notify = useNotify();
  const hintWaitlist = useWaitlistHint();
  const type = types.find((x) => x.id === booking.appointmentTypeId);
  const nameOf = (id: string) => resources.find((r) => r.id === id)?.name ?? '';
  // The booking keeps its contact mode unless the type no longer offers it (then the first one the
  // type has); with several modes the receptionist may switch, e.g. to video, while moving it.
  const modes = type?.contactModes ?? [];
  const modeGone = type !== undefined && !modes.includes(booking.contactMode);
  const [mode, setMode] = useState<ContactMode>(modeGone ? (modes[0] ?? booking.contactMode) : booking.contactMode);
  const modeId = useId();
  const [reasonCode, setReasonCode] = useState('');
  const [reasonText, setReasonText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [overrideRules, setOverrideRules] = useState<OverridableRule[]>([]);
  const [overrideReason, setOverrideReason] = useState('');
  const { slot, taken, form, markTaken, pickInstead } = useTakenSlot(chosen);
  const who = booking.patient.protectedIdentity ? t('calendar.protected') : booking.patient.displayName;
  const from = `${formatSpan(booking.startAt, booking.endAt, i18n.language)} · ${nameOf(booking.resourceId)}`;
  const to = `${formatSpan(slot.startAt, slot.endAt, i18n.language)} · ${nameOf(slot.resourceId)}`;
  const typeFits = slot.appointmentTypeIds.includes(booking.appointmentTypeId);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await call('bookings.rebook', {
        id: booking.id,
        slotId: slot.id,
        ...(mode !== booking.contactMode ? { contactMode: mode } : {}),
        ...(reasonCode ? { reasonCode } : {}),
        ...(reasonText.trim() ? { reasonText: reasonText.trim() } : {}),
        ...(overrideRules.length > 0 ? { override: { reason: overrideReason, rules: overrideRules } } : {}),
      });
      applyBookingChange(client, [result.old.id], [result.new]);
      notify('ok', t('rebook.done', { name: who, when: to }));
      hintWaitlist(booking.slotId);
      onRebooked?.();
      onClose();
    } catch (err) {
      if (slotTaken(err)) {
        void client.invalidateQueries({ queryKey: ['calendar.range'] });
        markTaken();
      } else setError((err as Error).message);
      setOverrideRules((shown) => withRefusedRule(shown, err));
      setBusy(false);
    }
  }

  return (
    <Dialog title={t('rebook.title')} onClose={onClose} testId="rebook-dialog">
      <form ref={form} className="tb-form" onSubmit={(e) => void submit(e)}>
        <p className="tb-dialog-lead">
          <strong>{who}</strong>
        </p>
        <dl className="tb-facts">
          <dt>{t('rebook.from')}</dt>
          <dd>{from}</dd>
          <dt>{t('rebook.to')}</dt>
          {/* Live: a time picked instead of a taken one is read out. */}
          <dd className={taken ? 'tb-lead-taken' : undefined} aria-live="polite" data-testid="rebook-to">
            <strong>{to}</strong>
            {taken && <span className="tb-taken-chip">{t('book.takenChip')}</span>}
          </dd>
        </dl>
        {taken && type && (
          <TakenAlternatives taken={slot} type={type} resources={resources} onPick={pickInstead} rebookingId={booking.id} />
        )}
        {!typeFits && <p className="tb-warning">{t('rebook.typeMismatch')}</p>}
        {(modes.length > 1 || modeGone) && (
          <div className="tb-field">
            <label htmlFor={modeId}>{t('book.mode')}</label>
            <select id={modeId} value={mode} onChange={(e) => setMode(e.target.value as ContactMode)}>
              {modes.map((m) => (
                <option key={m} value={m}>
                  {t(`mode.${m}`)}
                </option>
              ))}
            </select>
            {modeGone && (
              <p className="tb-field-hint" data-testid="rebook-mode-gone">
                {t('rebook.modeGone', { mode: t(`mode.${booking.contactMode}`) })}
              </p>
            )}
          </div>
        )}
        {type && (
          <ReasonFields
            rule={type.reasonRebook}
            codes={type.reasonCodes}
            code={reasonCode}
            text={reasonText}
            onCode={setReasonCode}
            onText={setReasonText}
            legend={t('rebook.reason')}
          />
        )}
        <FormDialogFooter
          error={error}
          busy={busy || taken}
          onCancel={onClose}
          submitLabel={overrideRules.length > 0 ? t('override.rebook') : t('rebook.confirm')}
          aboveButtons={overrideRules.length > 0 && <OverrideField value={overrideReason} onChange={setOverrideReason} />}
          autoFocusSubmit
        />
      </form>
    </Dialog>
  );
}
