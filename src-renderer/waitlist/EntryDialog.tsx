// Add a patient to återbudslistan, or change an entry: appointment type, who may see them (anyone
// doing the type, a particular clinician, or a profession), the dates they can come, priority and
// a note. Main checks the wish against the type and says why in Swedish.
import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { AppointmentType, Resource } from '../../src-main/api/types.ts';
import type { WaitlistEntry, WaitlistPriority } from '../../src-main/api/methods/waitlist.ts';
import { call } from '../api/client.ts';
import { Dialog, Field, FormDialogFooter } from '../keyboard/Dialog.tsx';
import { formatIdentity } from '../booking/format.ts';
import { useNotify } from '../booking/notices.tsx';
import { EntryPatient, entryWho } from './shared.tsx';

type WishKind = 'any' | 'resource' | 'profession';

export interface EntryDialogProps {
  /** A new entry for this patient, or an existing entry to change. */
  target: { patientId: string } | { entry: WaitlistEntry };
  types: readonly AppointmentType[];
  resources: readonly Resource[];
  presetTypeId?: string;
  onClose: () => void;
}

const mayDo = (type: AppointmentType | undefined, profession: string | null) =>
  !!type && (type.professions.length === 0 || (profession !== null && type.professions.includes(profession)));

export function EntryDialog({ target, types, resources, presetTypeId, onClose }: EntryDialogProps) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const notify = useNotify();
  const entry = 'entry' in target ? target.entry : null;
  const patientId = entry ? entry.patient.id : (target as { patientId: string }).patientId;
  const patient = useQuery({
    queryKey: ['patients.get', patientId],
    queryFn: () => call('patients.get', { id: patientId }),
    enabled: !entry,
  });
  const active = types.filter((x) => x.active);
  const [openedVersion] = useState(entry?.version); // see scheduler/TypeForm
  const [typeId, setTypeId] = useState(entry?.appointmentTypeId ?? presetTypeId ?? active[0]?.id ?? '');
  const [wishKind, setWishKind] = useState<WishKind>(entry?.resourceId ? 'resource' : entry?.profession ? 'profession' : 'any');
  const [resourceId, setResourceId] = useState(entry?.resourceId ?? '');
  const [profession, setProfession] = useState(entry?.profession ?? '');
  const [earliest, setEarliest] = useState(entry?.earliest ?? '');
  const [latest, setLatest] = useState(entry?.latest ?? '');
  const [priority, setPriority] = useState<WaitlistPriority>(entry?.priority ?? 0);
  const [note, setNote] = useState(entry?.note ?? '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const type = types.find((x) => x.id === typeId);
  const able = resources.filter((r) => r.active && r.kind === 'clinician' && mayDo(type, r.profession));
  const professions = [...new Set(able.map((r) => r.profession).filter((p): p is string => !!p))];
  const name = (x: AppointmentType) => (i18n.language === 'en' ? x.nameEn : x.nameSv);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const wish = {
      resourceId: wishKind === 'resource' ? resourceId || null : null,
      profession: wishKind === 'profession' ? profession || null : null,
    };
    setBusy(true);
    try {
      const fields = { appointmentTypeId: typeId, ...wish, earliest: earliest || null, latest: latest || null, priority, note };
      const saved = entry
        ? await call('waitlist.update', { id: entry.id, ...fields, expectedVersion: openedVersion })
        : await call('waitlist.add', { patientId, ...fields });
      void client.invalidateQueries({ queryKey: ['waitlist.list'] });
      notify('ok', entry ? t('waitlist.saved') : t('waitlist.added', { who: entryWho(saved, t) }));
      onClose();
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  }

  const p = patient.data;
  return (
    <Dialog
      title={entry ? t('waitlist.dialog.editTitle') : t('waitlist.dialog.addTitle')}
      onClose={onClose}
      testId="waitlist-dialog"
    >
      <form className="tb-form" onSubmit={(e) => void submit(e)}>
        <div className="tb-chosen" data-testid="waitlist-patient">
          <div>
            {entry ? (
              <EntryPatient entry={entry} />
            ) : p ? (
              <>
                <strong>{p.protectedIdentity ? t('calendar.protected') : p.displayName}</strong>{' '}
                <span className="tb-muted">{formatIdentity(p.identityNumber)}</span>
                {p.protectedIdentity && <span className="tb-protected-mark">{t('patients.protectedMark')}</span>}
              </>
            ) : (
              t('app.loading')
            )}
          </div>
        </div>
        <div className="tb-row">
          <Field label={t('waitlist.type')}>
            {(id) => (
              <select id={id} value={typeId} onChange={(e) => setTypeId(e.target.value)}>
                {active.map((x) => (
                  <option key={x.id} value={x.id}>
                    {name(x)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('waitlist.dialog.priority')}>
            {(id) => (
              <select id={id} value={priority} onChange={(e) => setPriority(Number(e.target.value) as WaitlistPriority)}>
                {([0, 1, 2] as const).map((n) => (
                  <option key={n} value={n}>
                    {t(`waitlist.priority.p${n}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <p className="tb-field-hint tb-wl-prio-hint">{t('waitlist.priorityHint')}</p>
        <fieldset className="tb-fieldset">
          <legend>{t('waitlist.dialog.wish')}</legend>
          <div className="tb-wl-wish">
            {(['any', 'resource', 'profession'] as const).map((k) => (
              <label key={k} className="tb-check">
                <input type="radio" name="wl-wish" value={k} checked={wishKind === k} onChange={() => setWishKind(k)} />
                {t(`waitlist.dialog.wish${k === 'any' ? 'Any' : k === 'resource' ? 'Resource' : 'Profession'}`)}
              </label>
            ))}
          </div>
          {wishKind === 'resource' && (
            <Field label={t('waitlist.dialog.resource')}>
              {(id) => (
                <select id={id} value={resourceId} onChange={(e) => setResourceId(e.target.value)} required>
                  <option value="">{t('reason.none')}</option>
                  {able.map((r) => (
                    <option key={r.id} value={r.id}>
                      {r.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          )}
          {wishKind === 'profession' && (
            <Field label={t('waitlist.dialog.profession')}>
              {(id) => (
                <select id={id} value={profession} onChange={(e) => setProfession(e.target.value)} required>
                  <option value="">{t('reason.none')}</option>
                  {professions.map((x) => (
                    <option key={x} value={x}>
                      {t(`profession.${x}`, { defaultValue: x })}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          )}
        </fieldset>
        <div className="tb-row">
          <Field label={t('waitlist.dialog.earliest')}>
            {(id) => <input id={id} type="date" value={earliest} onChange={(e) => setEarliest(e.target.value)} />}
          </Field>
          <Field label={t('waitlist.dialog.latest')}>
            {(id) => (
              <input id={id} type="date" value={latest} min={earliest || undefined} onChange={(e) => setLatest(e.target.value)} />
            )}
          </Field>
        </div>
        <Field label={t('waitlist.dialog.note')}>
          {(id) => (
            <textarea
              id={id}
              rows={2}
              maxLength={1000}
              value={note}
              placeholder={t('waitlist.dialog.notePlaceholder')}
              onChange={(e) => setNote(e.target.value)}
            />
          )}
        </Field>
        <FormDialogFooter
          error={error}
          busy={busy}
          onCancel={onClose}
          submitLabel={entry ? t('waitlist.dialog.confirmEdit') : t('waitlist.dialog.confirmAdd')}
        />
      </form>
    </Dialog>
  );
}
