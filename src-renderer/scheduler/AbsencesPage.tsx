// Frånvaro: register a clinician's absence (their slots are blocked), then move every affected
// booking in one step: proposals (same type and profession, same clinician preferred), accept all
// or some, and a printable list of patients to contact (protected identity respected by main).
// Absences of one clinician may overlap (a course day inside a week of sick leave): each is its own
// row, marked with what it overlaps, and each can be changed (shortened when she is back early).
import { useId, useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Absence, ContactListEntry } from '../../src-main/api/methods/scheduling.ts';
import { call } from '../api/client.ts';
import { ResourceOptions, useActiveResources } from '../api/resources.tsx';
import { NoticeProvider, useNotify } from '../booking/notices.tsx';
import { formatIdentity } from '../booking/format.ts';
import { formatPeriod, formatSpan, formatStart } from '../i18n/format.ts';
import { hhmm, todayIso, wallParts } from '../calendar/wallclock.ts';
import { useRoles } from '../auth/roles.ts';
import { displayPhone } from '../patients/phone.ts';
import { EndTimeField, END_OF_DAY } from './EndTimeField.tsx';

interface AbsenceForm {
  resourceId: string;
  from: string;
  fromTime: string;
  to: string;
  toTime: string;
  reason: string;
}

/**
 * An absence as the form shows it: whole days as dates only, the last day included (as typed); a
 * part of a day that ends at a midnight ends 24:00 on its last day (not 00:00 the next).
 */
export function absenceToForm(a: Absence): AbsenceForm {
  const s = wallParts(a.startAt);
  const e = wallParts(a.endAt);
  const atMidnight = e.minutes === 0;
  return {
    resourceId: a.resourceId,
    from: s.date,
    fromTime: s.minutes === 0 ? '' : hhmm(s.minutes),
    to: atMidnight ? wallParts(a.endAt - 1).date : e.date,
    toTime: atMidnight ? (s.minutes === 0 ? '' : END_OF_DAY) : hhmm(e.minutes),
    reason: a.reason,
  };
}

export function AbsencesPage() {
  return (
    <NoticeProvider>
      <AbsencesScreen />
    </NoticeProvider>
  );
}

function AbsencesScreen() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const notify = useNotify();
  const { canSchedule, known } = useRoles();
  const fid = { resource: useId(), from: useId(), fromTime: useId(), to: useId(), toTime: useId(), reason: useId() };
  const resources = useActiveResources();
  const absences = useQuery({ queryKey: ['absences.list'], queryFn: () => call('absences.list', { from: todayIso() }) });
  const blank: AbsenceForm = { resourceId: '', from: todayIso(), fromTime: '', to: todayIso(), toTime: '', reason: '' };
  const [form, setForm] = useState<AbsenceForm>(blank);
  /** The absence being changed (its form opened from the list), or null when registering a new one. */
  const [editing, setEditing] = useState<Absence | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [wizard, setWizard] = useState<string | null>(null);
  const nameOf = (id: string) => resources.data?.find((r) => r.id === id)?.name ?? '';
  const rid = form.resourceId || resources.data?.[0]?.id || '';
  const active = absences.data?.filter((a) => a.state === 'active') ?? [];
  /** The other active absences of the same clinician overlapping this one (each keeps its part blocked). */
  const overlapsOf = (a: Absence) =>
    active.filter((o) => o.id !== a.id && o.resourceId === a.resourceId && o.startAt < a.endAt && o.endAt > a.startAt);
  const describe = (a: Absence) => `${a.reason || t('absence.noReason')} ${formatPeriod(a.startAt, a.endAt, i18n.language)}`;

  function startEdit(a: Absence) {
    setError(null);
    setEditing(a);
    setForm(absenceToForm(a));
    // The form is above the list: the keyboard follows to its first date.
    requestAnimationFrame(() => document.getElementById(fid.from)?.focus());
  }
  function stopEdit() {
    setEditing(null);
    setError(null);
    setForm(blank);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const period = {
      from: form.from,
      to: form.to,
      reason: form.reason,
      ...(form.fromTime ? { fromTime: form.fromTime } : {}),
      ...(form.toTime ? { toTime: form.toTime } : {}),
    };
    try {
      const r = editing
        ? await call('absences.update', { id: editing.id, ...period, expectedVersion: editing.version })
        : await call('absences.create', { resourceId: rid, ...period });
      const also =
        r.overlapping.length > 0 ? ` ${t('absence.alsoCovered', { list: r.overlapping.map(describe).join('; ') })}` : '';
      const bookings = t('absence.createdBookings', { count: r.affectedBookings.length });
      if (r.unchanged) notify('ok', `${t(editing ? 'absence.sameAsBefore' : 'absence.alreadyRegistered')} ${bookings}`);
      else if (editing) {
        const slots = `${t('absence.opened', { count: r.slotsOpened })}, ${t('absence.createdSlots', { count: r.slotsBlocked })}`;
        notify('ok', `${t('absence.changed')}: ${slots}, ${bookings}${also}`);
      } else notify('ok', `${t('absence.createdSlots', { count: r.slotsChanged })}, ${bookings}${also}`);
      // New or lengthened, the bookings it now hits are moved next; shortened, there is nothing new to move.
      const grew = !editing || r.absence.startAt < editing.startAt || r.absence.endAt > editing.endAt;
      if (editing) stopEdit();
      await client.invalidateQueries();
      if (r.affectedBookings.length > 0 && !r.unchanged && grew) setWizard(r.absence.id);
    } catch (err) {
      setError((err as Error).message);
    }
  }

  async function withdraw(a: Absence) {
    try {
      const r = await call('absences.withdraw', { id: a.id });
      notify('ok', t('absence.withdrawn', { count: r.slotsChanged }));
      await client.invalidateQueries();
    } catch (err) {
      notify('error', (err as Error).message);
    }
  }

  return (
    <section className="tb-page" aria-labelledby="absence-heading">
      <h1 id="absence-heading" className="tb-no-print">
        {t('absence.title')}
      </h1>
      {wizard ? (
        <RebookWizard absenceId={wizard} onDone={() => setWizard(null)} />
      ) : (
        <>
          {/* Registering and withdrawing are the scheduler's; the desk moves the bookings an absence hits. */}
          {!canSchedule && known && <p className="tb-muted">{t('absence.readOnly')}</p>}
          {canSchedule && (
            <form className="tb-form tb-card" onSubmit={(e) => void submit(e)} data-testid="absence-form">
              <h2>{editing ? t('absence.editTitle', { name: nameOf(editing.resourceId) }) : t('absence.new')}</h2>
              <div className="tb-row">
                <div className="tb-field">
                  <label htmlFor={fid.resource}>{t('absence.resource')}</label>
                  {/* A changed absence stays the same clinician's: another's is a new absence. */}
                  <select
                    id={fid.resource}
                    value={rid}
                    disabled={editing !== null}
                    onChange={(e) => setForm({ ...form, resourceId: e.target.value })}
                  >
                    <ResourceOptions />
                  </select>
                </div>
                <div className="tb-field">
                  <label htmlFor={fid.from}>{t('absence.from')}</label>
                  <input
                    id={fid.from}
                    type="date"
                    value={form.from}
                    onChange={(e) => setForm({ ...form, from: e.target.value })}
                    required
                  />
                </div>
                <div className="tb-field">
                  <label htmlFor={fid.fromTime}>{t('absence.fromTime')}</label>
                  <input
                    id={fid.fromTime}
                    type="time"
                    value={form.fromTime}
                    onChange={(e) => setForm({ ...form, fromTime: e.target.value })}
                  />
                </div>
                <div className="tb-field">
                  <label htmlFor={fid.to}>{t('absence.to')}</label>
                  <input
                    id={fid.to}
                    type="date"
                    value={form.to}
                    onChange={(e) => setForm({ ...form, to: e.target.value })}
                    required
                  />
                </div>
                {/* Empty: the end of the last day; 24:00 says so out loud (the same instant). */}
                <EndTimeField
                  id={fid.toTime}
                  label={t('absence.toTime')}
                  value={form.toTime}
                  onChange={(toTime) => setForm({ ...form, toTime })}
                  optional
                />
                <div className="tb-field tb-grow">
                  <label htmlFor={fid.reason}>{t('absence.reason')}</label>
                  <input id={fid.reason} value={form.reason} onChange={(e) => setForm({ ...form, reason: e.target.value })} />
                </div>
              </div>
              <p className="tb-field-hint">{t(editing ? 'absence.editHint' : 'absence.hint')}</p>
              {error && (
                <p role="alert" className="tb-form-error">
                  {error}
                </p>
              )}
              <div className="tb-dialog-actions tb-actions-left">
                <button type="submit" className="tb-button tb-primary">
                  {editing ? t('absence.save') : t('absence.register')}
                </button>
                {editing && (
                  <button type="button" className="tb-button" onClick={stopEdit}>
                    {t('common.cancel')}
                  </button>
                )}
              </div>
            </form>
          )}
          <table className="tb-table tb-compact" data-testid="absences-table">
            <caption>{t('absence.current')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('absence.resource')}</th>
                <th scope="col">{t('absence.period')}</th>
                <th scope="col">{t('absence.reason')}</th>
                <th scope="col">
                  <span className="tb-visually-hidden">{t('typeForm.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {absences.data && active.length === 0 && (
                <tr>
                  <td colSpan={4} className="tb-muted">
                    {t('absence.none')}
                  </td>
                </tr>
              )}
              {active.map((a) => {
                const overlaps = overlapsOf(a);
                return (
                  <tr
                    key={a.id}
                    data-absence-id={a.id}
                    aria-current={editing?.id === a.id ? 'true' : undefined}
                    // The row being changed, as the navigation marks the current page.
                    style={editing?.id === a.id ? { background: '#e8f0fa' } : undefined}
                  >
                    <td>{nameOf(a.resourceId)}</td>
                    <td>{formatPeriod(a.startAt, a.endAt, i18n.language)}</td>
                    <td>
                      {a.reason || '–'}
                      {overlaps.length > 0 && (
                        <div className="tb-hint tb-muted">
                          {t('absence.overlaps', { list: overlaps.map((o) => o.reason || t('absence.noReason')).join(', ') })}
                        </div>
                      )}
                    </td>
                    <td className="tb-nowrap">
                      <button type="button" className="tb-button tb-small" onClick={() => setWizard(a.id)}>
                        {t('absence.rebook')}
                      </button>
                      {canSchedule && (
                        <>
                          {' '}
                          <button
                            type="button"
                            className="tb-button tb-small"
                            aria-label={t('absence.editAria', { what: `${nameOf(a.resourceId)}, ${describe(a)}` })}
                            onClick={() => startEdit(a)}
                          >
                            {t('absence.edit')}
                          </button>{' '}
                          <button type="button" className="tb-button tb-small" onClick={() => void withdraw(a)}>
                            {t('absence.withdraw')}
                          </button>
                        </>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

/** Step 2 and 3: proposals to accept (all or some), then the contact list to print. */
/** Each step replaces the one whose button was pressed: its heading takes the focus (and is read). */
const focusOnMount = (el: HTMLElement | null) => el?.focus();

function RebookWizard({ absenceId, onDone }: { absenceId: string; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const proposals = useQuery({
    queryKey: ['absences.proposeRebooking', absenceId],
    queryFn: () => call('absences.proposeRebooking', { id: absenceId }),
  });
  const types = useQuery({ queryKey: ['appointmentTypes.list'], queryFn: () => call('appointmentTypes.list', {}) });
  const [chosen, setChosen] = useState<Set<string> | null>(null);
  const [contacts, setContacts] = useState<ContactListEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const rows = proposals.data ?? [];
  const withProposal = rows.filter((r) => r.proposal);
  const selected = chosen ?? new Set(withProposal.map((r) => r.booking.id));
  const typeName = (id: string) => {
    const x = types.data?.find((y) => y.id === id);
    return x ? (i18n.language === 'en' ? x.nameEn : x.nameSv) : '';
  };

  async function apply(all: boolean) {
    setBusy(true);
    setError(null);
    try {
      const items = withProposal
        .filter((r) => all || selected.has(r.booking.id))
        .map((r) => ({ bookingId: r.booking.id, slotId: r.proposal!.slotId }));
      await call('absences.applyRebooking', { id: absenceId, items });
      setContacts(await call('absences.contactList', { id: absenceId }));
      await client.invalidateQueries();
    } catch (err) {
      setError((err as Error).message);
      // Nothing was moved (one transaction); fresh proposals go round the time taken meanwhile.
      setChosen(null);
      await proposals.refetch();
    }
    setBusy(false);
  }

  async function showContacts() {
    setError(null);
    try {
      setContacts(await call('absences.contactList', { id: absenceId }));
    } catch (err) {
      setError((err as Error).message);
    }
  }

  if (contacts) {
    return (
      // Keyed: a step of its own (React would reuse the wizard's heading, which then keeps no focus).
      <section key="contacts" aria-labelledby="contact-heading" data-testid="contact-list">
        <div className="tb-page-head tb-no-print">
          <h2 id="contact-heading" tabIndex={-1} ref={focusOnMount}>
            {t('absence.contactTitle')}
          </h2>
          <span className="tb-toolbar-spacer" />
          <button type="button" className="tb-button" onClick={() => window.print()}>
            {t('common.print')}
          </button>
          <button type="button" className="tb-button tb-primary" onClick={onDone}>
            {t('absence.done')}
          </button>
        </div>
        <h2 className="tb-print-only">{t('absence.contactTitle')}</h2>
        <table className="tb-table tb-compact tb-print-table">
          <thead>
            <tr>
              <th scope="col">{t('list.patient')}</th>
              <th scope="col">{t('list.identity')}</th>
              <th scope="col">{t('patients.phone')}</th>
              <th scope="col">{t('absence.oldTime')}</th>
              <th scope="col">{t('absence.newTime')}</th>
            </tr>
          </thead>
          <tbody>
            {contacts.map((c) => (
              // Moved by an overlapping absence: its list has the call, so it is not made twice.
              <tr
                key={c.bookingId}
                data-contact-under={c.contactUnder?.absenceId}
                className={c.contactUnder ? 'tb-muted' : undefined}
              >
                <td>
                  {c.protectedIdentity ? <span className="tb-protected-mark">{t('patients.protectedMark')}</span> : c.displayName}
                </td>
                <td className="tb-nowrap">{formatIdentity(c.identityNumber)}</td>
                <td>{c.contactMasked ? <em>{t('patients.hidden')}</em> : (displayPhone(c.phone) ?? '–')}</td>
                <td>
                  {formatStart(c.oldStartAt, i18n.language)} · {c.oldResourceName}
                </td>
                <td>
                  {c.newStartAt ? (
                    `${formatStart(c.newStartAt, i18n.language)} · ${c.newResourceName ?? ''}`
                  ) : c.moved ? (
                    <em>{t('patients.hidden')}</em>
                  ) : (
                    t('absence.notMoved')
                  )}
                  {c.contactUnder && (
                    <div className="tb-hint" data-testid="contact-under">
                      {t('absence.contactUnder', { reason: c.contactUnder.reason })}
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    );
  }

  return (
    <section key="wizard" aria-labelledby="wizard-heading" data-testid="rebook-wizard">
      <div className="tb-page-head">
        <h2 id="wizard-heading" tabIndex={-1} ref={focusOnMount}>
          {t('absence.wizardTitle', { count: rows.length })}
        </h2>
        <span className="tb-toolbar-spacer" />
        {/* Those already moved (and those left) can be called again later: the list stays at hand. */}
        <button type="button" className="tb-button" onClick={() => void showContacts()}>
          {t('absence.showContacts')}
        </button>
        <button type="button" className="tb-button" onClick={onDone}>
          {t('common.back')}
        </button>
      </div>
      {proposals.error && <p role="alert">{proposals.error.message}</p>}
      {proposals.data && rows.length === 0 && <p>{t('absence.nothingToMove')}</p>}
      {rows.length > 0 && (
        <>
          <table className="tb-table tb-compact">
            <thead>
              <tr>
                <th scope="col">
                  <span className="tb-visually-hidden">{t('absence.choose')}</span>
                </th>
                <th scope="col">{t('list.patient')}</th>
                <th scope="col">{t('list.type')}</th>
                <th scope="col">{t('absence.oldTime')}</th>
                <th scope="col">{t('absence.proposal')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => {
                const name = r.booking.patient.protectedIdentity ? t('calendar.protected') : r.booking.patient.displayName;
                return (
                  <tr key={r.booking.id} data-booking-id={r.booking.id}>
                    <td>
                      <input
                        type="checkbox"
                        aria-label={t('absence.chooseAria', { name })}
                        disabled={!r.proposal}
                        checked={!!r.proposal && selected.has(r.booking.id)}
                        onChange={(e) => {
                          const next = new Set(selected);
                          if (e.target.checked) next.add(r.booking.id);
                          else next.delete(r.booking.id);
                          setChosen(next);
                        }}
                      />
                    </td>
                    <td>{name}</td>
                    <td>{typeName(r.booking.appointmentTypeId)}</td>
                    <td>{formatSpan(r.booking.startAt, r.booking.endAt, i18n.language)}</td>
                    <td>
                      {r.proposal ? (
                        <>
                          {formatSpan(r.proposal.startAt, r.proposal.endAt, i18n.language)} · {r.proposal.resourceName}
                          {r.sameResource && <span className="tb-muted"> ({t('absence.sameResource')})</span>}
                        </>
                      ) : (
                        <span className="tb-muted">{r.problem ?? t('absence.noProposal')}</span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {error && (
            <p role="alert" className="tb-form-error">
              {error}
            </p>
          )}
          <div className="tb-dialog-actions tb-actions-left">
            <button
              type="button"
              className="tb-button tb-primary"
              disabled={busy || withProposal.length === 0}
              onClick={() => void apply(true)}
            >
              {t('absence.acceptAll', { count: withProposal.length })}
            </button>
            <button type="button" className="tb-button" disabled={busy || selected.size === 0} onClick={() => void apply(false)}>
              {t('absence.acceptSome', { count: selected.size })}
            </button>
          </div>
        </>
      )}
    </section>
  );
}
