// Add or edit one resource in a small dialog. A clinician's profession is picked from the codes
// the unit's appointment types ask for (so type/profession fit keeps working), or typed in.
import { useId, useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Resource, ResourceKind } from '../../src-main/api/types.ts';
import { call } from '../api/client.ts';
import { Dialog, Field, FormDialogFooter } from '../keyboard/Dialog.tsx';

const KINDS: ResourceKind[] = ['clinician', 'room', 'equipment'];
/** The professions a unit usually has; the types' and resources' own codes are added to them. */
const BASE_PROFESSIONS = ['lakare', 'sjukskoterska', 'fysioterapeut', 'psykolog'];
const OTHER = '__other__';

interface Draft {
  kind: ResourceKind;
  name: string;
  profession: string;
  title: string;
  hsaId: string;
}

export function ResourceForm({
  resource,
  known,
  onClose,
  onSaved,
}: {
  resource: Resource | null;
  known: Resource[];
  onClose: () => void;
  onSaved: (r: Resource) => void;
}) {
  const { t } = useTranslation();
  const types = useQuery({
    queryKey: ['appointmentTypes.list', 'all'],
    queryFn: () => call('appointmentTypes.list', { includeInactive: true }),
  });
  const professions = [
    ...new Set([
      ...BASE_PROFESSIONS,
      ...(types.data ?? []).flatMap((x) => x.professions),
      ...known.map((r) => r.profession).filter((p): p is string => !!p),
    ]),
  ];
  const [d, setD] = useState<Draft>(() => ({
    kind: resource?.kind ?? 'clinician',
    name: resource?.name ?? '',
    profession: resource?.profession ?? 'lakare',
    title: resource?.title ?? '',
    hsaId: resource?.hsaId ?? '',
  }));
  const [openedVersion] = useState(resource?.version); // see TypeForm
  const [other, setOther] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setD((x) => ({ ...x, [k]: v }));
  const clinician = d.kind === 'clinician';
  const optional = ` ${t('settings.resources.optional')}`;
  const professionHint = useId();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const fields = {
      name: d.name,
      profession: clinician ? d.profession : null,
      title: d.title.trim() ? d.title : null,
      hsaId: d.hsaId.trim() ? d.hsaId : null,
    };
    try {
      const saved = resource
        ? await call('resources.update', { id: resource.id, ...fields, expectedVersion: openedVersion })
        : await call('resources.create', { kind: d.kind, ...fields });
      onSaved(saved);
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  }

  return (
    <Dialog
      title={resource ? t('settings.resources.editTitle', { name: resource.name }) : t('settings.resources.newTitle')}
      onClose={onClose}
      testId="resource-form"
    >
      <form className="tb-form" onSubmit={(e) => void submit(e)}>
        <div className="tb-row">
          <Field label={t('settings.resources.kind')}>
            {(id) => (
              <select id={id} value={d.kind} onChange={(e) => set('kind', e.target.value as ResourceKind)} disabled={!!resource}>
                {KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`settings.kind.${k}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('settings.resources.name')}>
            {(id) => <input id={id} value={d.name} onChange={(e) => set('name', e.target.value)} required maxLength={200} />}
          </Field>
        </div>
        <div className="tb-row">
          {clinician && (
            <Field label={t('settings.resources.profession')}>
              {(id) => (
                <select
                  id={id}
                  value={other ? OTHER : d.profession}
                  aria-describedby={professionHint}
                  onChange={(e) => {
                    const v = e.target.value;
                    setOther(v === OTHER);
                    set('profession', v === OTHER ? '' : v);
                  }}
                >
                  {professions.map((p) => (
                    <option key={p} value={p}>
                      {t(`profession.${p}`, { defaultValue: p })}
                    </option>
                  ))}
                  <option value={OTHER}>{t('settings.resources.otherProfession')}</option>
                </select>
              )}
            </Field>
          )}
          {clinician && other && (
            <Field label={t('settings.resources.professionCode')}>
              {(id) => (
                <input id={id} value={d.profession} onChange={(e) => set('profession', e.target.value)} required maxLength={60} />
              )}
            </Field>
          )}
          <Field label={t('settings.resources.titleField') + optional}>
            {(id) => <input id={id} value={d.title} onChange={(e) => set('title', e.target.value)} maxLength={200} />}
          </Field>
        </div>
        {clinician && (
          <p className="tb-field-hint" id={professionHint}>
            {t('settings.resources.professionHint')}
          </p>
        )}
        <Field label={t('settings.resources.hsaId') + optional} hint={t('settings.unit.hsaHint')}>
          {(id) => (
            <input
              id={id}
              value={d.hsaId}
              onChange={(e) => set('hsaId', e.target.value)}
              maxLength={43}
              spellCheck={false}
              autoComplete="off"
            />
          )}
        </Field>
        <FormDialogFooter error={error} busy={busy} onCancel={onClose} submitLabel={t('common.save')} />
      </form>
    </Dialog>
  );
}
