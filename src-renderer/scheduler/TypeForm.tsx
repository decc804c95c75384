// The appointment type form: every rule of a type in one dialog, grouped as a scheduler thinks of
// them. Main validates (zod) and answers in Swedish; the form only shapes the input.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppointmentTypeChange } from '../../src-main/api/methods/scheduling.ts';
import type { AppointmentType, ContactMode, ReasonCode, ReasonRule } from '../../src-main/api/types.ts';
import { call } from '../api/client.ts';
import { useActiveResources } from '../api/resources.tsx';
import { Dialog, Field, FormDialogFooter } from '../keyboard/Dialog.tsx';

const MODES: ContactMode[] = ['physical', 'video', 'phone'];
const RULES: ReasonRule[] = ['optional', 'mandatory', 'unsupported'];

type Draft = Omit<AppointmentType, 'id' | 'unitId' | 'active' | 'version'>;

const EMPTY: Draft = {
  code: '',
  nameSv: '',
  nameEn: '',
  durationMin: 30,
  contactModes: ['physical'],
  professions: [],
  webBookable: false,
  invitationOnly: false,
  webCancellable: true,
  webRebookable: true,
  cancelCutoffH: 24,
  rebookCutoffH: 24,
  reasonNew: 'optional',
  reasonCancel: 'optional',
  reasonRebook: 'optional',
  reasonCodes: [],
  bookMinLeadH: 0,
  bookMaxDays: 90,
  colour: '#2f6db3',
};

export function TypeForm({
  type,
  onClose,
  onSaved,
}: {
  type: AppointmentType | null;
  onClose: () => void;
  /** An edit also says which free slots the type no longer fits; a new type has none yet. */
  onSaved: (t: AppointmentType | AppointmentTypeChange) => void;
}) {
  const { t } = useTranslation();
  const resources = useActiveResources();
  const [d, setD] = useState<Draft>(() => {
    if (!type) return EMPTY;
    const { id: _id, unitId: _unit, active: _active, version: _version, ...rest } = type;
    return rest;
  });
  // The version the form was filled from, kept though the list behind it refreshes: a save over
  // another scheduler's newer edit is refused (services/edit-versions.ts).
  const [openedVersion] = useState(type?.version);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // A change answers the refusal shown: it goes until the next save says otherwise.
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => {
    setError(null);
    setD((x) => ({ ...x, [k]: v }));
  };
  const num = (k: 'durationMin' | 'cancelCutoffH' | 'rebookCutoffH' | 'bookMinLeadH' | 'bookMaxDays') => (id: string) => (
    <input id={id} type="number" min={0} value={d[k]} onChange={(e) => set(k, Number(e.target.value))} required />
  );
  const professions = [
    ...new Set([
      ...['lakare', 'sjukskoterska', 'fysioterapeut', 'psykolog'],
      ...(resources.data ?? []).map((r) => r.profession).filter((p): p is string => !!p),
      ...d.professions,
    ]),
  ];
  const toggle = <T,>(list: T[], v: T, on: boolean) => (on ? [...list, v] : list.filter((x) => x !== v));
  const setCode = (i: number, patch: Partial<ReasonCode>) =>
    set(
      'reasonCodes',
      d.reasonCodes.map((c, j) => (j === i ? { ...c, ...patch } : c)),
    );

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const saved = type
        ? await call('appointmentTypes.update', { id: type.id, ...d, expectedVersion: openedVersion })
        : await call('appointmentTypes.create', d);
      onSaved(saved);
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  }

  return (
    <Dialog
      title={type ? t('typeForm.editTitle', { name: type.nameSv }) : t('typeForm.new')}
      onClose={onClose}
      wide
      testId="type-form"
    >
      <form className="tb-form" onSubmit={(e) => void submit(e)}>
        <div className="tb-row">
          <Field label={t('types.code')}>
            {(id) => <input id={id} value={d.code} onChange={(e) => set('code', e.target.value)} required maxLength={40} />}
          </Field>
          <Field label={t('typeForm.nameSv')}>
            {(id) => <input id={id} value={d.nameSv} onChange={(e) => set('nameSv', e.target.value)} required />}
          </Field>
          <Field label={t('typeForm.nameEn')}>
            {(id) => <input id={id} value={d.nameEn} onChange={(e) => set('nameEn', e.target.value)} required />}
          </Field>
          <Field label={t('typeForm.durationMin')}>{num('durationMin')}</Field>
          <Field label={t('typeForm.colour')}>
            {(id) => <input id={id} type="color" value={d.colour} onChange={(e) => set('colour', e.target.value)} />}
          </Field>
        </div>
        <div className="tb-row">
          <fieldset className="tb-fieldset">
            <legend>{t('types.modes')}</legend>
            {MODES.map((m) => (
              <label key={m} className="tb-check">
                <input
                  type="checkbox"
                  checked={d.contactModes.includes(m)}
                  onChange={(e) => set('contactModes', toggle(d.contactModes, m, e.target.checked))}
                />
                {t(`mode.${m}`)}
              </label>
            ))}
          </fieldset>
          <fieldset className="tb-fieldset">
            <legend>{t('typeForm.professions')}</legend>
            {professions.map((p) => (
              <label key={p} className="tb-check">
                <input
                  type="checkbox"
                  checked={d.professions.includes(p)}
                  onChange={(e) => set('professions', toggle(d.professions, p, e.target.checked))}
                />
                {t(`profession.${p}`, { defaultValue: p })}
              </label>
            ))}
            <p className="tb-field-hint">{t('typeForm.professionsHint')}</p>
          </fieldset>
        </div>
        <fieldset className="tb-fieldset">
          <legend>{t('typeForm.web')}</legend>
          <div className="tb-row">
            {(['webBookable', 'invitationOnly', 'webCancellable', 'webRebookable'] as const).map((k) => (
              <label key={k} className="tb-check">
                <input type="checkbox" checked={d[k]} onChange={(e) => set(k, e.target.checked)} />
                {t(`typeForm.${k}`)}
              </label>
            ))}
          </div>
          <div className="tb-row">
            <Field label={t('typeForm.cancelCutoffH')}>{num('cancelCutoffH')}</Field>
            <Field label={t('typeForm.rebookCutoffH')}>{num('rebookCutoffH')}</Field>
            <Field label={t('typeForm.bookMinLeadH')}>{num('bookMinLeadH')}</Field>
            <Field label={t('typeForm.bookMaxDays')}>{num('bookMaxDays')}</Field>
          </div>
          {/* The api's rule (leadWindowProblem): the lead ends before the last bookable day does, from midnight today. */}
          <p className="tb-field-hint" data-testid="type-lead-hint">
            {t('typeForm.leadHint', { max: (d.bookMaxDays + 1) * 24 - 1 })}
          </p>
        </fieldset>
        <fieldset className="tb-fieldset">
          <legend>{t('typeForm.reasons')}</legend>
          <div className="tb-row">
            {(['reasonNew', 'reasonCancel', 'reasonRebook'] as const).map((k) => (
              <Field key={k} label={t(`typeForm.${k}`)}>
                {(id) => (
                  <select id={id} value={d[k]} onChange={(e) => set(k, e.target.value as ReasonRule)}>
                    {RULES.map((r) => (
                      <option key={r} value={r}>
                        {t(`typeForm.rule.${r}`)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            ))}
          </div>
          <table className="tb-table tb-compact tb-codes">
            <caption className="tb-visually-hidden">{t('typeForm.reasonCodes')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('typeForm.codeCol')}</th>
                <th scope="col">{t('typeForm.textSv')}</th>
                <th scope="col">{t('typeForm.textEn')}</th>
                <th scope="col">
                  <span className="tb-visually-hidden">{t('typeForm.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {d.reasonCodes.map((c, i) => (
                <tr key={i}>
                  <td>
                    <input
                      aria-label={t('typeForm.codeCol')}
                      value={c.code}
                      onChange={(e) => setCode(i, { code: e.target.value })}
                      required
                    />
                  </td>
                  <td>
                    <input
                      aria-label={t('typeForm.textSv')}
                      value={c.textSv}
                      onChange={(e) => setCode(i, { textSv: e.target.value })}
                      required
                    />
                  </td>
                  <td>
                    <input
                      aria-label={t('typeForm.textEn')}
                      value={c.textEn}
                      onChange={(e) => setCode(i, { textEn: e.target.value })}
                      required
                    />
                  </td>
                  <td>
                    <button
                      type="button"
                      className="tb-button tb-small"
                      onClick={() =>
                        set(
                          'reasonCodes',
                          d.reasonCodes.filter((_, j) => j !== i),
                        )
                      }
                    >
                      {t('typeForm.remove')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <button
            type="button"
            className="tb-button tb-small"
            onClick={() => set('reasonCodes', [...d.reasonCodes, { code: '', textSv: '', textEn: '' }])}
          >
            {t('typeForm.addCode')}
          </button>
        </fieldset>
        <FormDialogFooter error={error} busy={busy} onCancel={onClose} submitLabel={t('common.save')} />
      </form>
    </Dialog>
  );
}
