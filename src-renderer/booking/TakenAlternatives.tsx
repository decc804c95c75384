// "Tiden är redan bokad" while the patient is on the line: the next free times of the same type,
// the same clinician's first, then other clinicians of that profession, so the desk picks one
// and books without retyping the patient. The first offered time takes the focus.
import { useEffect, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { AppointmentType, Resource, Slot } from '../../src-main/api/types.ts';
import type { FreeSlot } from '../../src-main/api/methods/scheduling.ts';
import { ApiCallError, call } from '../api/client.ts';
import { todayIso, wallParts } from '../calendar/wallclock.ts';
import { formatSpan } from '../i18n/format.ts';
import { toSlot } from './NextFreePanel.tsx';

/**
 * The time a booking or rebooking dialog is about: the one opened, or one offered after it was
 * taken by someone else (`markTaken`). Picking an offered time replaces it and puts the focus on
 * the dialog's submit button (in `form`), so the desk confirms with one more key.
 */
export function useTakenSlot(opened: Slot) {
  const [slot, setSlot] = useState(opened);
  const [taken, setTaken] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const focusSubmit = useRef(false);
  useEffect(() => {
    if (!focusSubmit.current) return;
    focusSubmit.current = false;
    form.current?.querySelector<HTMLElement>('button[type="submit"]')?.focus();
  }, [slot]);
  return {
    slot,
    taken,
    form,
    markTaken: () => setTaken(true),
    pickInstead(free: FreeSlot) {
      focusSubmit.current = true;
      setTaken(false);
      setSlot(toSlot(free));
    },
  };
}

/** Offered per group: enough to choose from on the phone, few enough to read out. */
const PER_GROUP = 3;

/** What main said of a booking refused because the slot has an active booking. */
export function slotTaken(err: unknown): { samePatient: boolean } | null {
  const details =
    err instanceof ApiCallError ? (err.error.details as { rule?: unknown; samePatient?: unknown } | undefined) : undefined;
  return details?.rule === 'slot_taken' ? { samePatient: details.samePatient === true } : null;
}

export interface TakenAlternativesProps {
  taken: Slot;
  type: AppointmentType;
  resources: readonly Resource[];
  onPick: (free: FreeSlot) => void;
  /** Rebooking: the booking being moved, so times of its deactivated type are still found. */
  rebookingId?: string | undefined;
}

export function TakenAlternatives({ taken, type, resources, onPick, rebookingId }: TakenAlternativesProps) {
  const { t, i18n } = useTranslation();
  const clinician = resources.find((r) => r.id === taken.resourceId);
  // Peers share the clinician's profession when the type allows it; a room (no profession) has
  // no peers but every resource that may take the type.
  const profession =
    clinician?.profession && (type.professions.length === 0 || type.professions.includes(clinician.profession))
      ? clinician.profession
      : undefined;
  // From the day the patient wanted (times earlier that day are as near), never before today.
  const day = wallParts(taken.startAt).date;
  const from = day < todayIso() ? todayIso() : day;
  const search = (extra: { resourceId?: string; profession?: string }, limit: number) => {
    const input = { appointmentTypeId: type.id, from, limit, ...extra, ...(rebookingId ? { rebookingId } : {}) };
    // Fresh, not from cache: the search is about what is free now.
    return { queryKey: ['slots.findFree', input], queryFn: () => call('slots.findFree', input), staleTime: 0 };
  };
  const same = useQuery(search({ resourceId: taken.resourceId }, PER_GROUP + 1));
  // Enough to leave PER_GROUP once the clinician's own are taken out.
  const any = useQuery(search(profession ? { profession } : {}, 4 * PER_GROUP));
  const notTaken = (f: FreeSlot) => f.slotId !== taken.id;
  const mine = (same.data ?? []).filter(notTaken).slice(0, PER_GROUP);
  const others = (any.data ?? []).filter((f) => notTaken(f) && f.resourceId !== taken.resourceId).slice(0, PER_GROUP);
  const ready = same.isSuccess && any.isSuccess;
  const failed = same.error ?? any.error;

  // Once, when the times first arrive (the Boka button that had the focus is disabled now); not
  // again when a changed type fetches others while the desk is in the type field.
  const list = useRef<HTMLDivElement>(null);
  const focused = useRef(false);
  const message = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (!(ready || failed) || focused.current) return;
    focused.current = true;
    (list.current?.querySelector<HTMLElement>('[data-free-slot-id]') ?? message.current)?.focus();
  }, [ready, failed]);

  const group = (heading: string, slots: FreeSlot[]) =>
    slots.length > 0 && (
      <>
        <h3 className="tb-taken-group">{heading}</h3>
        <ul className="tb-taken-list">
          {slots.map((f) => (
            <li key={f.slotId}>
              <button type="button" className="tb-taken-option" data-free-slot-id={f.slotId} onClick={() => onPick(f)}>
                <strong>{formatSpan(f.startAt, f.endAt, i18n.language)}</strong>
                <span>{f.resourceName}</span>
              </button>
            </li>
          ))}
        </ul>
      </>
    );

  return (
    <section className="tb-taken" data-testid="taken-alternatives" aria-label={t('book.alternatives')}>
      <p role="alert" className="tb-taken-message" ref={message} tabIndex={-1}>
        {t('book.taken')}
      </p>
      <div ref={list} aria-busy={!ready}>
        {failed && <p className="tb-form-error">{failed.message}</p>}
        {!ready && !failed && <p className="tb-muted">{t('book.searchingAlternatives')}</p>}
        {ready && mine.length + others.length === 0 && <p className="tb-muted">{t('book.noAlternatives')}</p>}
        {ready && group(t('book.alternativesSame', { name: clinician?.name ?? '' }), mine)}
        {ready &&
          group(
            profession
              ? t('book.alternativesOthers', { profession: t(`profession.${profession}`, { defaultValue: profession }) })
              : t('book.alternativesAny'),
            others,
          )}
      </div>
    </section>
  );
}
