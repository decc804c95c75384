// The patient view: identity, contact details (hidden for protected identity, with a clear mark),
// upcoming and past bookings. Opening it is an access-log read in main (Patientdatalagen).
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Booking } from '../../src-main/api/types.ts';
import { call } from '../api/client.ts';
import { useActiveResources } from '../api/resources.tsx';
import { Dialog } from '../keyboard/Dialog.tsx';
import { formatIdentity } from '../booking/format.ts';
import { formatSpan } from '../i18n/format.ts';
import { wallParts } from '../calendar/wallclock.ts';
import { displayPhone } from './phone.ts';
import { PatientContactForm } from './PatientContactForm.tsx';

export interface PatientDialogProps {
  patientId: string;
  onClose: () => void;
  /** Opens a booking; `day` is the date to show it on. */
  onOpenBooking: (bookingId: string, day: string | null) => void;
}

const UPCOMING = new Set(['preliminary', 'booked']);

export function PatientDialog({ patientId, onClose, onOpenBooking }: PatientDialogProps) {
  const { t, i18n } = useTranslation();
  const patient = useQuery({ queryKey: ['patients.get', patientId], queryFn: () => call('patients.get', { id: patientId }) });
  const history = useQuery({
    queryKey: ['bookings.forPatient', patientId],
    queryFn: () => call('bookings.forPatient', { patientId, includeHistory: true }),
  });
  const types = useQuery({ queryKey: ['appointmentTypes.list'], queryFn: () => call('appointmentTypes.list', {}) });
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [dirty, setDirty] = useState(false);
  const resources = useActiveResources();
  const p = patient.data;
  const now = Date.now();
  const all = history.data ?? [];
  const upcoming = all.filter((b) => b.startAt >= now && UPCOMING.has(b.status)).sort((a, b) => a.startAt - b.startAt);
  const past = all.filter((b) => !(b.startAt >= now && UPCOMING.has(b.status)));
  const typeName = (id: string) => {
    const x = types.data?.find((y) => y.id === id);
    return x ? (i18n.language === 'en' ? x.nameEn : x.nameSv) : '';
  };
  const resourceName = (id: string) => resources.data?.find((r) => r.id === id)?.name ?? '';

  const table = (rows: Booking[], caption: string, testId: string) => (
    <table className="tb-table tb-compact" data-testid={testId}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('list.time')}</th>
          <th scope="col">{t('list.resource')}</th>
          <th scope="col">{t('list.type')}</th>
          <th scope="col">{t('list.status')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 && (
          <tr>
            <td colSpan={4} className="tb-muted">
              {t('patients.none')}
            </td>
          </tr>
        )}
        {rows.map((b) => (
          <tr key={b.id} data-booking-id={b.id}>
            <td className="tb-nowrap">
              <button type="button" className="tb-link" onClick={() => onOpenBooking(b.id, wallParts(b.startAt).date)}>
                {formatSpan(b.startAt, b.endAt, i18n.language, true)}
              </button>
            </td>
            <td>{resourceName(b.resourceId)}</td>
            <td>{typeName(b.appointmentTypeId)}</td>
            <td>
              <span className={`tb-status-chip tb-chip-${b.status}`}>{t(`calendar.status.${b.status}`)}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );

  return (
    <Dialog title={t('patients.title')} onClose={onClose} wide testId="patient-dialog" unsaved={editing && dirty}>
      {patient.error && <p role="alert">{patient.error.message}</p>}
      {p && (
        <div className="tb-patient">
          <div className="tb-patient-head">
            <p className="tb-patient-name">
              <strong>{p.displayName}</strong> <span className="tb-muted">{formatIdentity(p.identityNumber)}</span>{' '}
              <span className="tb-muted">· {t(`patients.kind.${p.identityKind}`)}</span>
            </p>
            {p.protectedIdentity && (
              <p className="tb-protected-banner" role="note" data-testid="protected-identity">
                <strong>{t('patients.protectedMark')}</strong> {t('patients.protectedHint')}
              </p>
            )}
          </div>
          {editing ? (
            <PatientContactForm
              patient={p}
              onDirty={setDirty}
              onCancel={() => {
                setEditing(false);
                setDirty(false);
              }}
              onStale={async () => (await patient.refetch()).data}
              onSaved={(saved) => {
                queryClient.setQueryData(['patients.get', patientId], saved);
                setEditing(false);
                setDirty(false);
              }}
            />
          ) : (
            <div className="tb-patient-contact">
              <dl className="tb-facts">
                <dt>{t('patients.phone')}</dt>
                <dd>{p.contactMasked ? <em>{t('patients.hidden')}</em> : (displayPhone(p.phone) ?? '–')}</dd>
                <dt>{t('patients.email')}</dt>
                <dd>{p.contactMasked ? <em>{t('patients.hidden')}</em> : (p.email ?? '–')}</dd>
                <dt>{t('patients.address')}</dt>
                <dd>{p.contactMasked ? <em>{t('patients.hidden')}</em> : (p.address ?? '–')}</dd>
              </dl>
              {!p.contactMasked && (
                <button type="button" className="tb-button" onClick={() => setEditing(true)} data-testid="patient-edit">
                  {t('patients.edit.open')}
                </button>
              )}
            </div>
          )}
          {history.error && <p role="alert">{history.error.message}</p>}
          {table(upcoming, t('patients.upcoming'), 'patient-upcoming')}
          {table(past, t('patients.past'), 'patient-past')}
        </div>
      )}
    </Dialog>
  );
}
