// Besökstyper: the unit's appointment types with every rule a type carries (length, contact
// modes, who may perform it, web booking and its cut-offs, reasons, booking window, colour).
// Schedulers create and edit; everyone else reads.
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { AppointmentTypeActivation, AppointmentTypeChange } from '../../src-main/api/methods/scheduling.ts';
import type { AppointmentType } from '../../src-main/api/types.ts';
import { call } from '../api/client.ts';
import { NoticeProvider, useNotify } from '../booking/notices.tsx';
import { TypeForm } from './TypeForm.tsx';
import { TemplatesLeftEmpty, TypeImpact, hasTypeImpact } from './TypeImpact.tsx';
import { useRoles } from '../auth/roles.ts';
import { typeName } from '../calendar/model.ts';

export function AppointmentTypesPage() {
  return (
    <NoticeProvider>
      <TypesScreen />
    </NoticeProvider>
  );
}

function TypesScreen() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const notify = useNotify();
  const { canSchedule: canEdit, known } = useRoles();
  const types = useQuery({
    queryKey: ['appointmentTypes.list', 'all'],
    queryFn: () => call('appointmentTypes.list', { includeInactive: true }),
  });
  const [editing, setEditing] = useState<AppointmentType | 'new' | null>(null);
  // What the last edit no longer fits (free slots, booked times): stays until dismissed, unlike a
  // notice, because the scheduler has templates to change and bookings to check.
  const [impact, setImpact] = useState<AppointmentTypeChange | null>(null);
  // The templates the last deactivation left with no active type, likewise until dismissed.
  const [emptied, setEmptied] = useState<AppointmentTypeActivation | null>(null);

  async function toggleActive(x: AppointmentType) {
    try {
      const changed = await call('appointmentTypes.setActive', { id: x.id, active: !x.active });
      await client.invalidateQueries({ queryKey: ['appointmentTypes.list'] });
      // Said, not only shown by the row: what becomes of the type's times from now on.
      notify('ok', t(changed.active ? 'typeForm.activated' : 'typeForm.deactivated', { name: typeName(changed, i18n.language) }));
      setEmptied(changed.templatesLeftEmpty.length > 0 ? changed : null);
    } catch (err) {
      notify('error', (err as Error).message);
    }
  }

  return (
    <section className="tb-page" aria-labelledby="types-heading">
      <div className="tb-page-head">
        <h1 id="types-heading">{t('types.title')}</h1>
        {canEdit && (
          <button type="button" className="tb-button tb-primary" onClick={() => setEditing('new')}>
            {t('typeForm.new')}
          </button>
        )}
      </div>
      {!canEdit && known && <p className="tb-muted">{t('typeForm.readOnly')}</p>}
      {types.error && <p role="alert">{types.error.message}</p>}
      {impact && <TypeImpact impact={impact} onClose={() => setImpact(null)} />}
      {emptied && <TemplatesLeftEmpty change={emptied} onClose={() => setEmptied(null)} />}
      <table className="tb-table tb-compact" data-testid="types-table">
        <thead>
          <tr>
            <th scope="col">{t('types.code')}</th>
            <th scope="col">{t('types.name')}</th>
            <th scope="col">{t('types.duration')}</th>
            <th scope="col">{t('types.modes')}</th>
            <th scope="col">{t('typeForm.professions')}</th>
            <th scope="col">{t('types.web')}</th>
            <th scope="col">{t('typeForm.cutoffs')}</th>
            <th scope="col">{t('typeForm.window')}</th>
            <th scope="col">{t('typeForm.state')}</th>
            {canEdit && (
              <th scope="col">
                <span className="tb-visually-hidden">{t('typeForm.actions')}</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {types.data?.map((x) => (
            <tr key={x.id} data-type-code={x.code} className={x.active ? '' : 'tb-inactive-row'}>
              <td className="tb-nowrap">
                <span className="tb-swatch" style={{ background: x.colour }} aria-hidden="true" /> {x.code}
              </td>
              <td>{typeName(x, i18n.language)}</td>
              <td className="tb-nowrap">{t('types.minutes', { count: x.durationMin })}</td>
              <td>{x.contactModes.map((m) => t(`mode.${m}`)).join(', ')}</td>
              <td>
                {x.professions.map((p) => t(`profession.${p}`, { defaultValue: p })).join(', ') || t('typeForm.anyProfession')}
              </td>
              <td>{x.invitationOnly ? t('types.invitationOnly') : x.webBookable ? t('types.yes') : t('types.no')}</td>
              <td className="tb-nowrap">{t('typeForm.cutoffShort', { cancel: x.cancelCutoffH, rebook: x.rebookCutoffH })}</td>
              <td className="tb-nowrap">{t('typeForm.windowShort', { lead: x.bookMinLeadH, count: x.bookMaxDays })}</td>
              <td>{x.active ? t('typeForm.active') : t('typeForm.inactive')}</td>
              {canEdit && (
                <td className="tb-nowrap">
                  <button
                    type="button"
                    className="tb-button tb-small"
                    onClick={() => setEditing(x)}
                    aria-label={t('typeForm.editAria', { name: typeName(x, i18n.language) })}
                  >
                    {t('typeForm.edit')}
                  </button>{' '}
                  <button type="button" className="tb-button tb-small" onClick={() => void toggleActive(x)}>
                    {x.active ? t('typeForm.deactivate') : t('typeForm.activate')}
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {editing && (
        <TypeForm
          type={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(saved) => {
            setEditing(null);
            notify('ok', t('typeForm.saved', { name: typeName(saved, i18n.language) }));
            setImpact('unfitFreeSlots' in saved && hasTypeImpact(saved) ? saved : null);
            void client.invalidateQueries({ queryKey: ['appointmentTypes.list'] });
          }}
        />
      )}
    </section>
  );
}
