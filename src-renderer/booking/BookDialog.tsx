// Book a free slot: find the patient by identity number (checked by main as you type and shown
// normalised) or by name, or register a new patient; type preset from the slot; contact mode,
// reason when the type asks for one, note; confirm. Main decides; its Swedish "no" is shown here.
// A time someone else took meanwhile is replaced by one of the next free times, all else kept.
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { AppointmentType, ContactMode, Resource, Slot } from '../../src-main/api/types.ts';
import type { DeskChannel, Patient } from '../../src-main/api/methods/scheduling.ts';
import { call } from '../api/client.ts';
import { Dialog, FormDialogFooter } from '../keyboard/Dialog.tsx';
import { applyBookingChange } from '../calendar/ranges.ts';
import { useNotify } from './notices.tsx';
import { formatIdentity } from './format.ts';
import { formatEndTime, formatSpan, formatStart, formatTime } from '../i18n/format.ts';
import { useDebounced } from './useDebounced.ts';
import { ReasonFields } from './ReasonFields.tsx';
import { OverrideField, withRefusedRule } from './override.tsx';
import type { OverridableRule } from '../../src-main/api/methods/scheduling.ts';
import type { WaitlistEntry } from '../../src-main/api/methods/waitlist.ts';
import { EntryPatient, WaitlistMatches } from '../waitlist/shared.tsx';
import { slotTaken, TakenAlternatives, useTakenSlot } from './TakenAlternatives.tsx';
import { nextBookStep, type BookStep } from './next-step.ts';
import './booking.css';
import '../calendar/walk-in.css';

/** Patients listed under the field: a whole list's Anderssons do not fit, typing more narrows them. */
const SHOWN_MATCHES = 8;

export interface BookDialogProps {
  slot: Slot;
  presetTypeId: string | null;
  types: readonly AppointmentType[];
  resources: readonly Resource[];
  onClose: () => void;
}

const LOOKS_LIKE_NUMBER = /^[\d\s+-]{6,}$/;
/** What patients.checkIdentityNumber accepts as a reserve number when the desk flags it. */
const LOOKS_LIKE_RESERVE = /^[0-9A-Za-z-]{10,20}$/;

export function BookDialog({ slot: opened, presetTypeId, types, resources, onClose }: BookDialogProps) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const notify = useNotify();
  const ids = { query: useId(), type: useId(), mode: useId(), note: useId(), channel: useId(), held: useId() };
  // The time being booked: the one opened, or one offered after it was taken by someone else.
  const { slot, taken, form, markTaken, pickInstead } = useTakenSlot(opened);
  const resourceName = resources.find((r) => r.id === slot.resourceId)?.name ?? '';
  const offered = slot.appointmentTypeIds.map((id) => types.find((x) => x.id === id)).filter((x): x is AppointmentType => !!x);
  const [typeId, setTypeId] = useState(
    presetTypeId && slot.appointmentTypeIds.includes(presetTypeId) ? presetTypeId : (offered[0]?.id ?? ''),
  );
  const type = offered.find((x) => x.id === typeId);
  // Whether the type is known, not just the first the time offers: given by whoever opened the
  // dialog, the only one, or chosen here. Until then Enter in the patient field books nothing.
  const [typeSettled, setTypeSettled] = useState(
    (presetTypeId !== null && opened.appointmentTypeIds.includes(presetTypeId)) || opened.appointmentTypeIds.length <= 1,
  );
  const [mode, setMode] = useState<ContactMode | ''>(type?.contactModes[0] ?? '');
  // A free time under way: a walk-in, at the desk. Main asks for an override, so the dialog asks at once.
  const walkIn = opened.startAt <= Date.now() && Date.now() < opened.endAt;
  const [channel, setChannel] = useState<DeskChannel>(walkIn ? 'desk' : 'phone');
  const [note, setNote] = useState('');
  const [reasonCode, setReasonCode] = useState('');
  const [reasonText, setReasonText] = useState('');
  const [query, setQuery] = useState('');
  // A patient without personnummer and samordningsnummer: main accepts a reserve number only when flagged.
  const [reserve, setReserve] = useState(false);
  const [patient, setPatient] = useState<Patient | null>(null);
  // Chosen from återbudslistan: the booking closes that entry (same patient and type).
  const [entry, setEntry] = useState<WaitlistEntry | null>(null);
  const [newPatient, setNewPatient] = useState({ givenName: '', familyName: '', phone: '' });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [overrideRules, setOverrideRules] = useState<OverridableRule[]>(walkIn ? ['started'] : []);
  const [overrideReason, setOverrideReason] = useState('');
  // A time another desk has offered a patient on its återbudslista: bookable, once she says so. The
  // calendar's slot says so; one from Första lediga tid carries no marks, so main is asked.
  const [heldConfirmed, setHeldConfirmed] = useState(false);
  const asked = useQuery({
    queryKey: ['slots.get', slot.id],
    queryFn: () => call('slots.get', { id: slot.id }),
    enabled: slot.heldElsewhere !== true,
  });
  const heldElsewhere = slot.heldElsewhere === true || asked.data?.heldElsewhere === true;
  const debounced = useDebounced(query.trim(), 180);
  const reasonRule = entry?.heldBooking ? type?.reasonRebook : type?.reasonNew;
  const stepState = {
    typeSettled,
    modes: type?.contactModes.length ?? 0,
    missingRequired: reasonRule === 'mandatory' && !reasonCode && !reasonText.trim(),
  };
  const stepElement = (step: BookStep): HTMLElement | null => {
    const f = form.current;
    if (step === 'type') return document.getElementById(ids.type);
    if (step === 'mode') return document.getElementById(ids.mode);
    // The reason the type requires: the browser marks its empty control invalid.
    if (step === 'required') return f?.querySelector<HTMLElement>('input:invalid, select:invalid, textarea:invalid') ?? null;
    return f?.querySelector<HTMLElement>('button[type="submit"]') ?? null;
  };
  // Set when a patient (or an entry of återbudslistan) is chosen: the control that had the focus
  // (the patient field, a hit) is gone with the search, so once the dialog is idle the focus goes
  // to what she fills next, unless something else took it (the override reason, the next free times).
  const focusNext = useRef(false);
  useEffect(() => {
    if (!focusNext.current || busy || taken) return;
    focusNext.current = false;
    if (form.current?.contains(document.activeElement)) return;
    stepElement(nextBookStep(stepState))?.focus();
  });
  /** Enter on Besökstyp or Kontaktsätt: that choice is made, on to the next step. */
  const onEnterMoveOn = (after: 'type' | 'mode') => (e: KeyboardEvent) => {
    if (e.key !== 'Enter' || e.ctrlKey || e.metaKey) return;
    e.preventDefault();
    if (after === 'type') setTypeSettled(true);
    stepElement(nextBookStep({ ...stepState, typeSettled: true }, after))?.focus();
  };

  useEffect(() => {
    if (type && (!mode || !type.contactModes.includes(mode))) setMode(type.contactModes[0] ?? '');
  }, [type, mode]);

  const looksLikeNumber = (text: string) => (reserve ? LOOKS_LIKE_RESERVE : LOOKS_LIKE_NUMBER).test(text);
  const isNumber = looksLikeNumber(debounced);
  // The same two look-ups serve typing (debounced) and Enter pressed before they caught up (below).
  const checkQuery = (text: string) => ({
    queryKey: ['patients.checkIdentityNumber', text, reserve],
    queryFn: () => call('patients.checkIdentityNumber', { value: text, ...(reserve ? { reserve: true } : {}) }),
  });
  const searchQuery = (text: string) => ({
    queryKey: ['patients.search', text, SHOWN_MATCHES],
    // Exactly what is listed: every patient returned is logged as read (README, access log).
    queryFn: () => call('patients.search', { query: text, limit: SHOWN_MATCHES }),
  });
  const check = useQuery({ ...checkQuery(debounced), enabled: isNumber && !patient });
  const search = useQuery({ ...searchQuery(debounced), enabled: debounced.length >= 2 && !patient });
  const validNumber = isNumber && check.data?.ok ? check.data.normalised : null;
  // A number refused (check digit, date) is said under the field; 'no patient found' would be noise.
  const invalidNumber = isNumber && check.data?.ok === false;
  const exact = validNumber ? search.data?.find((p) => p.identityNumber === validNumber) : undefined;
  const offerNew = validNumber !== null && search.isSuccess && !exact;
  const noMatch = search.isSuccess && search.data.length === 0 && !offerNew && !invalidNumber;
  const offerReserve = reserve || invalidNumber || (noMatch && LOOKS_LIKE_RESERVE.test(debounced));

  /**
   * A number typed and Enter pressed at once, before the look-ups as you type caught up: the
   * patient it names, 'new' for a valid number nobody has yet, null for anything else.
   */
  async function findTyped(): Promise<Patient | 'new' | null> {
    const typed = query.trim();
    if (!looksLikeNumber(typed)) return null;
    const checked = await client.fetchQuery(checkQuery(typed));
    if (!checked.ok || !checked.normalised) return null;
    const found = await client.fetchQuery(searchQuery(typed));
    return found.find((p) => p.identityNumber === checked.normalised) ?? 'new';
  }

  async function submit(e: FormEvent | KeyboardEvent) {
    e.preventDefault();
    // Enter in the patient field: take the patient; book at once only when nothing is left open.
    const fromSearch = document.activeElement?.id === ids.query;
    // The look-ups as you type lag the field by the debounce: what they found counts only once they
    // caught up with the text (else a number typed over another would book the first one's patient).
    const settled = query.trim() === debounced;
    setError(null);
    if (!type || !mode) return setError(t('book.chooseType'));
    // A protected patient's entry reaches roles without contact needs without her id (api/handlers/waitlist.ts).
    if (entry && !entry.patient.id) return setError(t('book.protectedEntry'));
    let chosen: Pick<Patient, 'id' | 'displayName' | 'protectedIdentity'> | null = entry
      ? { id: entry.patient.id, displayName: entry.patient.displayName ?? '', protectedIdentity: entry.patient.protectedIdentity }
      : (patient ?? (settled ? exact : undefined) ?? null);
    setBusy(true);
    try {
      // Unless the form already asks for the new patient's names (the look-ups are in for this text).
      if (!chosen && !entry && !(settled && offerNew)) {
        const typed = await findTyped();
        if (typed === 'new') {
          setBusy(false);
          return setError(t('book.newPatientNames'));
        }
        if (typed) {
          setPatient((chosen = typed));
          focusNext.current = true;
        }
      }
      if (!chosen && settled && offerNew && validNumber) {
        if (!newPatient.givenName.trim() || !newPatient.familyName.trim()) {
          setBusy(false);
          return setError(t('book.newPatientNames'));
        }
        const created = await call('patients.create', {
          identityNumber: validNumber,
          ...(check.data?.kind === 'reserve' ? { reserve: true } : {}),
          givenName: newPatient.givenName,
          familyName: newPatient.familyName,
          phone: newPatient.phone.trim() || null,
        });
        // Registered now, whatever the booking's fate: a retry (another time, an override) books
        // this patient, never registers the number twice.
        setPatient(created);
        focusNext.current = true;
        chosen = created;
      }
      if (!chosen) {
        setBusy(false);
        // Enter on a name: the hits are right there; the first takes the focus.
        form.current?.querySelector<HTMLElement>('.tb-results button')?.focus();
        return setError(t('book.choosePatient'));
      }
      // The time offers several types and none was given or chosen, or the type requires a reason
      // still empty: the patient is taken, the focus goes on to what is open (Besökstyp, not a
      // booking of whichever type happens to be listed first; Kontaktsätt, then the reason).
      if (fromSearch && !entry && (!typeSettled || stepState.missingRequired)) {
        // Found as typed (the look-ups had caught up): held as chosen like a hit clicked.
        if (exact && chosen === exact) setPatient(exact);
        focusNext.current = true;
        setBusy(false);
        return;
      }
      if (heldElsewhere && !heldConfirmed) {
        // The patient is taken; the booking waits for her yes (the offer on the other desk ends with it).
        if (!patient && !entry && exact && chosen === exact) setPatient(exact);
        setBusy(false);
        document.getElementById(ids.held)?.focus();
        return setError(t('book.heldElsewhereUnconfirmed'));
      }
      // From återbudslistan, a patient who holds a later time of the type moves it here (one time,
      // not two); the later time is then free for the next in line.
      if (entry?.heldBooking) {
        const moved = await call('bookings.rebook', {
          id: entry.heldBooking.id,
          slotId: slot.id,
          contactMode: mode,
          channel,
          ...(note.trim() ? { note } : {}),
          ...(reasonCode ? { reasonCode } : {}),
          ...(reasonText.trim() ? { reasonText: reasonText.trim() } : {}),
          ...(overrideRules.length > 0 ? { override: { reason: overrideReason, rules: overrideRules } } : {}),
          waitlistEntryId: entry.id,
        });
        applyBookingChange(client, [moved.old.id], [moved.new]);
        notify(
          'ok',
          t('book.moved', {
            name: chosen.protectedIdentity ? t('calendar.protected') : chosen.displayName,
            when: formatSpan(moved.new.startAt, moved.new.endAt, i18n.language),
          }),
        );
        onClose();
        return;
      }
      const booking = await call('bookings.book', {
        slotId: slot.id,
        patientId: chosen.id,
        appointmentTypeId: type.id,
        contactMode: mode,
        channel,
        note,
        ...(reasonCode ? { reasonCode } : {}),
        ...(reasonText.trim() ? { reasonText: reasonText.trim() } : {}),
        ...(overrideRules.length > 0 ? { override: { reason: overrideReason, rules: overrideRules } } : {}),
        ...(entry ? { waitlistEntryId: entry.id } : {}),
      });
      applyBookingChange(client, [], [booking]);
      notify(
        'ok',
        t('book.done', {
          name: chosen.protectedIdentity ? t('calendar.protected') : chosen.displayName,
          when: formatSpan(booking.startAt, booking.endAt, i18n.language),
        }),
      );
      onClose();
    } catch (err) {
      const gone = slotTaken(err);
      // Taken by another desk or on 1177: the calendar behind shows it booked; unless it is this
      // patient's already, the dialog offers the next free times instead.
      if (gone) void client.invalidateQueries({ queryKey: ['calendar.range'] });
      if (gone && !gone.samePatient) markTaken();
      else setError(gone?.samePatient ? t('book.takenSamePatient') : (err as Error).message);
      setOverrideRules((shown) => withRefusedRule(shown, err));
      setBusy(false);
    }
  }

  return (
    <Dialog
      title={t('book.title')}
      onClose={onClose}
      testId="book-dialog"
      // A number or name typed in the search is quick to type again; a chosen patient and written text are not.
      unsaved={patient !== null || [note, reasonText, newPatient.givenName, newPatient.familyName].some((x) => x.trim() !== '')}
    >
      <form ref={form} onSubmit={(e) => void submit(e)} className="tb-form">
        {/* Live: a time picked instead of a taken one is read out. */}
        <p className={`tb-dialog-lead${taken ? ' tb-lead-taken' : ''}`} data-testid="book-slot" aria-live="polite">
          <strong>{formatSpan(slot.startAt, slot.endAt, i18n.language, true)}</strong> · {resourceName}
          {slot.webPublished && <span className="tb-mark tb-mark-web tb-mark-inline">1177</span>}
          {taken && <span className="tb-taken-chip">{t('book.takenChip')}</span>}
        </p>
        {walkIn && slot === opened && (
          <p className="tb-walk-in-note" data-testid="walk-in-note">
            {t('walkIn.notice', {
              start: formatTime(slot.startAt, i18n.language),
              end: formatEndTime(slot.startAt, slot.endAt, i18n.language),
            })}
          </p>
        )}
        {heldElsewhere && (
          <div className="tb-held-elsewhere-note" data-testid="held-elsewhere-note">
            <p>{t('book.heldElsewhere')}</p>
            <label className="tb-check">
              <input
                id={ids.held}
                type="checkbox"
                checked={heldConfirmed}
                onChange={(e) => {
                  setHeldConfirmed(e.target.checked);
                  setError(null);
                }}
              />
              {t('book.heldElsewhereConfirm')}
            </label>
          </div>
        )}
        {taken && type && <TakenAlternatives taken={slot} type={type} resources={resources} onPick={pickInstead} />}
        {!patient && !entry && (
          <WaitlistMatches
            slotId={slot.id}
            heldElsewhere={heldElsewhere}
            onChoose={(e) => {
              setEntry(e);
              setTypeId(e.appointmentTypeId);
              setTypeSettled(true);
              focusNext.current = true;
            }}
          />
        )}
        {/* Who is chosen, read out when it changes: the focus has moved on to the next field. */}
        <p className="tb-visually-hidden" aria-live="polite" data-testid="chosen-announcement">
          {entry
            ? t('bookSteps.chosen', {
                name: entry.patient.displayName ?? t('calendar.protected'),
                number: t('waitlist.matches.chosen'),
              })
            : patient
              ? t('bookSteps.chosen', {
                  name: patient.protectedIdentity ? t('calendar.protected') : patient.displayName,
                  number: formatIdentity(patient.identityNumber),
                })
              : ''}
        </p>
        {entry ? (
          <div className="tb-chosen" data-testid="chosen-patient">
            <div>
              <EntryPatient entry={entry} />
              <span className="tb-wl-from">{t('waitlist.matches.chosen')}</span>
              {entry.heldBooking && (
                <p className="tb-hint" data-testid="held-booking">
                  {entry.heldBooking.startAt === null
                    ? t('book.heldHidden')
                    : t('book.held', { when: formatStart(entry.heldBooking.startAt, i18n.language, true) })}
                </p>
              )}
            </div>
            <button type="button" className="tb-button" onClick={() => setEntry(null)}>
              {t('book.changePatient')}
            </button>
          </div>
        ) : patient ? (
          <div className="tb-chosen" data-testid="chosen-patient">
            <div>
              <strong>{patient.protectedIdentity ? t('calendar.protected') : patient.displayName}</strong>
              <span className="tb-muted"> {formatIdentity(patient.identityNumber)}</span>
              {patient.protectedIdentity && <span className="tb-protected-mark">{t('patients.protectedMark')}</span>}
            </div>
            {/* Not the focus: a second Enter would un-choose the patient. Tab and Shift+Tab reach it. */}
            <button type="button" className="tb-button" onClick={() => setPatient(null)}>
              {t('book.changePatient')}
            </button>
          </div>
        ) : (
          <div className="tb-field">
            <label htmlFor={ids.query}>{t('book.patient')}</label>
            <input
              id={ids.query}
              // data-autofocus when the dialog opens; autoFocus when it comes back after Byt patient.
              data-autofocus
              autoFocus
              autoComplete="off"
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              // Enter here chooses the patient and never submits the form: the browser would first
              // check the fields still to fill (a required reason) and stop there, patient unchosen.
              onKeyDown={(e) => {
                if (e.key !== 'Enter' || e.ctrlKey || e.metaKey || e.nativeEvent.isComposing) return;
                void submit(e);
              }}
              placeholder={t('book.patientPlaceholder')}
              aria-describedby={`${ids.query}-status`}
              aria-invalid={invalidNumber || undefined}
            />
            <p id={`${ids.query}-status`} className="tb-field-hint" aria-live="polite" data-testid="identity-status">
              {isNumber && check.data
                ? check.data.ok
                  ? // The name too, once found: the desk reads it back to the caller; a screen reader hears it.
                    [
                      `✓ ${formatIdentity(check.data.normalised ?? '')}`,
                      t(`patients.kind.${check.data.kind ?? 'personnummer'}`),
                      ...(exact ? [exact.protectedIdentity ? t('calendar.protected') : exact.displayName] : []),
                    ].join(' · ')
                  : check.data.message
                : t('book.patientHint')}
            </p>
            {search.data && search.data.length > 0 && (
              <ul className="tb-results" aria-label={t('book.results')}>
                {search.data.map((p) => (
                  <li key={p.id}>
                    <button
                      type="button"
                      className="tb-result"
                      onClick={() => {
                        setPatient(p);
                        setError(null);
                        focusNext.current = true;
                      }}
                    >
                      <strong>{p.protectedIdentity ? t('calendar.protected') : p.displayName}</strong>
                      <span className="tb-muted">{formatIdentity(p.identityNumber)}</span>
                      {p.protectedIdentity && <span className="tb-protected-mark">{t('patients.protectedMark')}</span>}
                    </button>
                  </li>
                ))}
              </ul>
            )}
            {search.data && search.data.length === SHOWN_MATCHES && (
              <p className="tb-muted">{t('book.moreMatches', { count: SHOWN_MATCHES })}</p>
            )}
            {offerReserve && (
              <div>
                <label className="tb-check">
                  <input type="checkbox" checked={reserve} onChange={(e) => setReserve(e.target.checked)} />
                  {t('book.reserve')}
                </label>
              </div>
            )}
            {noMatch && <p className="tb-muted">{t('book.noMatch')}</p>}
            {offerNew && (
              <fieldset className="tb-fieldset" data-testid="new-patient">
                <legend>{t('book.newPatient', { number: formatIdentity(validNumber ?? '') })}</legend>
                <div className="tb-row">
                  <label>
                    <span>{t('patients.givenName')}</span>
                    <input
                      value={newPatient.givenName}
                      onChange={(e) => setNewPatient({ ...newPatient, givenName: e.target.value })}
                    />
                  </label>
                  <label>
                    <span>{t('patients.familyName')}</span>
                    <input
                      value={newPatient.familyName}
                      onChange={(e) => setNewPatient({ ...newPatient, familyName: e.target.value })}
                    />
                  </label>
                  <label>
                    <span>{t('patients.phone')}</span>
                    <input
                      value={newPatient.phone}
                      inputMode="tel"
                      onChange={(e) => setNewPatient({ ...newPatient, phone: e.target.value })}
                    />
                  </label>
                </div>
              </fieldset>
            )}
          </div>
        )}
        <div className="tb-row">
          {/* The widest: type names with their length must read whole. */}
          <div className="tb-field tb-grow">
            <label htmlFor={ids.type}>{t('book.type')}</label>
            <select
              id={ids.type}
              value={typeId}
              onChange={(e) => {
                setTypeId(e.target.value);
                setTypeSettled(true);
              }}
              onKeyDown={onEnterMoveOn('type')}
              aria-describedby={typeSettled ? undefined : `${ids.type}-open`}
            >
              {offered.map((x) => (
                <option key={x.id} value={x.id}>
                  {i18n.language === 'en' ? x.nameEn : x.nameSv} ({t('types.minutes', { count: x.durationMin })})
                </option>
              ))}
            </select>
          </div>
          <div className="tb-field">
            <label htmlFor={ids.mode}>{t('book.mode')}</label>
            <select
              id={ids.mode}
              value={mode}
              onChange={(e) => setMode(e.target.value as ContactMode)}
              onKeyDown={onEnterMoveOn('mode')}
            >
              {(type?.contactModes ?? []).map((m) => (
                <option key={m} value={m}>
                  {t(`mode.${m}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="tb-field">
            <label htmlFor={ids.channel}>{t('book.channel')}</label>
            <select id={ids.channel} value={channel} onChange={(e) => setChannel(e.target.value as DeskChannel)}>
              <option value="phone">{t('calendar.channel.phone')}</option>
              <option value="desk">{t('calendar.channel.desk')}</option>
            </select>
          </div>
        </div>
        {/* Under the row, not the field: the three choices stay on one line. */}
        {!typeSettled && (
          <p id={`${ids.type}-open`} className="tb-field-hint tb-step-hint">
            {t('bookSteps.typeOpen')}
          </p>
        )}
        {type && (
          <ReasonFields
            rule={reasonRule ?? type.reasonNew}
            codes={type.reasonCodes}
            code={reasonCode}
            text={reasonText}
            onCode={setReasonCode}
            onText={setReasonText}
            legend={t('book.reason')}
          />
        )}
        <div className="tb-field">
          <label htmlFor={ids.note}>{t('book.note')}</label>
          <textarea id={ids.note} rows={2} value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} />
        </div>
        <FormDialogFooter
          error={error}
          busy={busy || taken}
          onCancel={onClose}
          submitLabel={
            overrideRules.length > 0 ? t('override.book') : entry?.heldBooking ? t('book.confirmMove') : t('book.confirm')
          }
          aboveButtons={
            overrideRules.length > 0 && (
              // Asked before any refusal for a walk-in: the patient search keeps the focus.
              <OverrideField value={overrideReason} onChange={setOverrideReason} autoFocus={!walkIn} />
            )
          }
        />
      </form>
    </Dialog>
  );
}
