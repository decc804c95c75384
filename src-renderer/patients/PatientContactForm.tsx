// The patient's identity number, names and contact details, edited at the desk (a new phone
// number, a misspelt name, the real personnummer of a patient registered under a reserve number;
// main keeps the old number in the access log). Saves only what changed, with the version the form was opened on: when another desk
// saved in between, main refuses, the form shows what is now stored and asks for the edit again.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Patient } from '../../src-main/api/methods/scheduling.ts';
import { call, isStaleEdit } from '../api/client.ts';
import { Field, FormDialogFooter } from '../keyboard/Dialog.tsx';
import { formatIdentity } from '../booking/format.ts';

type Draft = Record<'identityNumber' | 'givenName' | 'familyName' | 'phone' | 'email' | 'address', string> & { reserve: boolean };

const draftOf = (p: Patient): Draft => ({
  identityNumber: formatIdentity(p.identityNumber),
  reserve: p.identityKind === 'reserve',
  givenName: p.givenName,
  familyName: p.familyName,
  phone: p.phone ?? '',
  email: p.email ?? '',
  address: p.address ?? '',
});

/** Only the fields the user changed: the access log names them, and nothing else is rewritten. */
function changes(before: Draft, after: Draft) {
  const out: {
    identityNumber?: string;
    reserve?: boolean;
    givenName?: string;
    familyName?: string;
    phone?: string | null;
    email?: string | null;
    address?: string | null;
  } = {};
  const differs = (k: Exclude<keyof Draft, 'reserve'>) => after[k].trim() !== before[k].trim();
  if (differs('identityNumber') || after.reserve !== before.reserve) {
    out.identityNumber = after.identityNumber;
    out.reserve = after.reserve;
  }
  if (differs('givenName')) out.givenName = after.givenName;
  if (differs('familyName')) out.familyName = after.familyName;
  for (const k of ['phone', 'email', 'address'] as const) if (differs(k)) out[k] = after[k].trim() || null;
  return out;
}

export function PatientContactForm({
  patient,
  onSaved,
  onCancel,
  onStale,
  onDirty,
}: {
  patient: Patient;
  onSaved: (p: Patient) => void;
  onCancel: () => void;
  /** Another desk saved first: the caller reloads the patient (this form then shows it). */
  onStale: () => Promise<Patient | undefined>;
  onDirty: (dirty: boolean) => void;
}) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(patient);
  const [d, setD] = useState<Draft>(() => draftOf(patient));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The parent is told outside the state updater (an updater must not set another component's state).
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => {
    const next = { ...d, [k]: v };
    setD(next);
    onDirty(Object.keys(changes(draftOf(opened), next)).length > 0);
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    const changed = changes(draftOf(opened), d);
    if (Object.keys(changed).length === 0) return onCancel();
    setBusy(true);
    setError(null);
    try {
      onSaved(await call('patients.update', { id: opened.id, ...changed, expectedVersion: opened.version }));
    } catch (err) {
      if (isStaleEdit(err)) {
        const fresh = await onStale();
        if (fresh) {
          setOpened(fresh);
          setD(draftOf(fresh));
          onDirty(false);
        }
        setError(t('patients.edit.stale'));
      } else setError((err as Error).message);
      setBusy(false);
    }
  }

  const text = (
    k: Exclude<keyof Draft, 'reserve'>,
    label: string,
    props: { type?: string; autoComplete?: string; required?: boolean; maxLength: number },
  ) => <Field label={label}>{(id) => <input id={id} value={d[k]} onChange={(e) => set(k, e.target.value)} {...props} />}</Field>;
  return (
    <form className="tb-form tb-patient-form" onSubmit={(e) => void submit(e)} data-testid="patient-contact-form">
      <div className="tb-row">
        {text('identityNumber', t('patients.edit.identityNumber'), { required: true, maxLength: 40, autoComplete: 'off' })}
        <label className="tb-check">
          <input type="checkbox" checked={d.reserve} onChange={(e) => set('reserve', e.target.checked)} />
          {t('patients.edit.reserve')}
        </label>
      </div>
      <div className="tb-row">
        {text('givenName', t('patients.givenName'), { required: true, maxLength: 200, autoComplete: 'off' })}
        {text('familyName', t('patients.familyName'), { required: true, maxLength: 200, autoComplete: 'off' })}
      </div>
      <div className="tb-row">
        {text('phone', t('patients.phone'), { type: 'tel', maxLength: 40, autoComplete: 'off' })}
        {text('email', t('patients.email'), { type: 'email', maxLength: 200, autoComplete: 'off' })}
      </div>
      {text('address', t('patients.address'), { maxLength: 500, autoComplete: 'off' })}
      <FormDialogFooter error={error} busy={busy} onCancel={onCancel} submitLabel={t('patients.edit.save')} />
    </form>
  );
}
