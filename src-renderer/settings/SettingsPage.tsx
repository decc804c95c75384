// Inställningar: the care unit (name; admins), its resources (clinicians, rooms, equipment: add,
// edit, order, (de)activate; schedulers and admins), how far ahead its schedule is laid out and
// which holiday eves it closes on. Everyone else reads. On a database without a unit, an admin sets it up here first.
import { useId, useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Resource } from '../../src-main/api/types.ts';
import type { HolidayRulesView } from '../../src-main/api/methods/scheduling.ts';
import { formatDay } from '../i18n/format.ts';
import { ApiCallError, call } from '../api/client.ts';
import { NoticeProvider, useNotify } from '../booking/notices.tsx';
import { useRoles } from '../auth/roles.ts';
import { ResourceForm } from './ResourceForm.tsx';
import { ConfirmDeactivate } from './ConfirmDeactivate.tsx';
import { CreateUnitForm } from './CreateUnitForm.tsx';
import './settings.css';

export function SettingsPage() {
  return (
    <NoticeProvider>
      <SettingsScreen />
    </NoticeProvider>
  );
}

/** The answer of a database without a unit (a fresh installation): the app shows this page first. */
export function isNoUnitError(error: unknown): boolean {
  return error instanceof ApiCallError && error.error.code === 'not_found';
}

function SettingsScreen() {
  const { t } = useTranslation();
  const unit = useQuery({ queryKey: ['unit.get'], queryFn: () => call('unit.get', {}), retry: false });
  const { isAdmin, canSchedule, known } = useRoles();
  const noUnit = isNoUnitError(unit.error);

  return (
    <section className="tb-page" aria-labelledby="settings-heading">
      <div className="tb-page-head">
        <h1 id="settings-heading">{t('settings.title')}</h1>
      </div>
      {known && !canSchedule && <p className="tb-muted">{t('settings.readOnly')}</p>}
      {noUnit ? (
        isAdmin ? (
          <CreateUnitForm />
        ) : (
          <p className="tb-card">{t('settings.unit.askAdmin')}</p>
        )
      ) : (
        <>
          {unit.error && <p role="alert">{unit.error.message}</p>}
          {unit.data && <UnitSection key={unit.data.name} name={unit.data.name} hsaId={unit.data.hsaId} isAdmin={isAdmin} />}
          {unit.data && <ResourcesSection canEdit={canSchedule} />}
          {unit.data && <HorizonSection canEdit={canSchedule} />}
          {unit.data && <EvesSection canEdit={canSchedule} />}
        </>
      )}
    </section>
  );
}

function UnitSection({ name, hsaId, isAdmin }: { name: string; hsaId: string; isAdmin: boolean }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const notify = useNotify();
  const nameId = useId();
  const [draft, setDraft] = useState(name);
  const [error, setError] = useState<string | null>(null);

  async function save(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await call('unit.update', { name: draft });
      notify('ok', t('settings.unit.saved'));
      await client.invalidateQueries({ queryKey: ['unit.get'] });
      await client.invalidateQueries({ queryKey: ['session.info'] });
    } catch (err) {
      setError((err as Error).message);
    }
  }

  return (
    <div className="tb-card" data-testid="settings-unit">
      <h2>{t('settings.unit.title')}</h2>
      <form className="tb-form tb-form-compact" onSubmit={(e) => void save(e)}>
        <div className="tb-row">
          <div className="tb-field tb-grow">
            {isAdmin ? (
              <>
                <label htmlFor={nameId}>{t('settings.unit.name')}</label>
                <input id={nameId} value={draft} onChange={(e) => setDraft(e.target.value)} required maxLength={200} />
              </>
            ) : (
              <>
                <span className="tb-field-label">{t('settings.unit.name')}</span>
                <span className="tb-settings-value" data-testid="unit-name">
                  {name}
                </span>
              </>
            )}
          </div>
          <div className="tb-field">
            <span className="tb-field-label">{t('settings.unit.hsaId')}</span>
            <span className="tb-settings-value" data-testid="unit-hsa">
              {hsaId}
            </span>
          </div>
          {isAdmin && (
            <div className="tb-field tb-settings-fixed">
              <button type="submit" className="tb-button" disabled={draft.trim() === name || !draft.trim()}>
                {t('settings.unit.save')}
              </button>
            </div>
          )}
        </div>
        {!isAdmin && <p className="tb-field-hint">{t('settings.unit.adminOnly')}</p>}
        {error && (
          <p role="alert" className="tb-form-error">
            {error}
          </p>
        )}
      </form>
    </div>
  );
}

function ResourcesSection({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const notify = useNotify();
  const resources = useQuery({
    queryKey: ['resources.list', 'all'],
    queryFn: () => call('resources.list', { includeInactive: true }),
  });
  const [editing, setEditing] = useState<Resource | 'new' | null>(null);
  const [confirming, setConfirming] = useState<Resource | null>(null);
  const list = resources.data ?? [];

  // The calendar, the booking dialogs and the template pages all read resources.list.
  const refresh = () => client.invalidateQueries({ queryKey: ['resources.list'] });

  async function move(index: number, by: -1 | 1) {
    const ids = list.map((r) => r.id);
    const [moved] = ids.splice(index, 1);
    ids.splice(index + by, 0, moved!);
    try {
      await call('resources.reorder', { ids });
      await refresh();
    } catch (err) {
      notify('error', (err as Error).message);
    }
  }

  async function setActive(r: Resource, active: boolean) {
    try {
      const done = await call('resources.setActive', { id: r.id, active });
      notify(
        'ok',
        active
          ? t('settings.resources.activated', { name: r.name })
          : t('settings.resources.deactivated', { name: r.name, slots: done.slotsRemoved, templates: done.templatesDeactivated }),
      );
      await refresh();
      await client.invalidateQueries({ queryKey: ['calendar.range'] });
    } catch (err) {
      notify('error', (err as Error).message);
    }
  }

  return (
    <div className="tb-card" data-testid="settings-resources">
      <div className="tb-page-head">
        <h2>{t('settings.resources.title')}</h2>
        {canEdit && (
          <button type="button" className="tb-button tb-primary" onClick={() => setEditing('new')}>
            {t('settings.resources.new')}
          </button>
        )}
      </div>
      <p className="tb-muted">{t('settings.resources.lead')}</p>
      {resources.error && <p role="alert">{resources.error.message}</p>}
      <table className="tb-table tb-compact" data-testid="resources-table">
        <thead>
          <tr>
            <th scope="col">{t('settings.resources.name')}</th>
            <th scope="col">{t('settings.resources.kind')}</th>
            <th scope="col">{t('settings.resources.professionTitle')}</th>
            <th scope="col">{t('settings.resources.hsaId')}</th>
            <th scope="col">{t('settings.resources.state')}</th>
            {canEdit && <th scope="col">{t('settings.resources.order')}</th>}
            {canEdit && (
              <th scope="col">
                <span className="tb-visually-hidden">{t('settings.resources.actions')}</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {list.map((r, i) => (
            <tr key={r.id} data-resource-name={r.name} className={r.active ? '' : 'tb-inactive-row'}>
              <td>{r.name}</td>
              <td>{t(`settings.kind.${r.kind}`)}</td>
              <td>
                {[r.profession ? t(`profession.${r.profession}`, { defaultValue: r.profession }) : null, r.title]
                  .filter(Boolean)
                  .join(' · ')}
              </td>
              <td className="tb-nowrap">{r.hsaId ?? ''}</td>
              <td>{r.active ? t('settings.resources.active') : t('settings.resources.inactive')}</td>
              {canEdit && (
                <td className="tb-nowrap">
                  <button
                    type="button"
                    className="tb-button tb-small"
                    disabled={i === 0}
                    onClick={() => void move(i, -1)}
                    aria-label={t('settings.resources.upAria', { name: r.name })}
                    title={t('settings.resources.up')}
                  >
                    ↑
                  </button>{' '}
                  <button
                    type="button"
                    className="tb-button tb-small"
                    disabled={i === list.length - 1}
                    onClick={() => void move(i, 1)}
                    aria-label={t('settings.resources.downAria', { name: r.name })}
                    title={t('settings.resources.down')}
                  >
                    ↓
                  </button>
                </td>
              )}
              {canEdit && (
                <td className="tb-nowrap">
                  <button
                    type="button"
                    className="tb-button tb-small"
                    onClick={() => setEditing(r)}
                    aria-label={t('settings.resources.editAria', { name: r.name })}
                  >
                    {t('settings.resources.edit')}
                  </button>{' '}
                  <button
                    type="button"
                    className="tb-button tb-small"
                    onClick={() => (r.active ? setConfirming(r) : void setActive(r, true))}
                  >
                    {r.active ? t('settings.resources.deactivate') : t('settings.resources.activate')}
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {resources.data && list.length === 0 && <p className="tb-empty">{t('settings.resources.empty')}</p>}
      {editing && (
        <ResourceForm
          resource={editing === 'new' ? null : editing}
          known={list}
          onClose={() => setEditing(null)}
          onSaved={(saved) => {
            setEditing(null);
            notify('ok', t('settings.resources.saved', { name: saved.name }));
            void refresh();
          }}
        />
      )}
      {confirming && (
        <ConfirmDeactivate
          resource={confirming}
          onClose={() => setConfirming(null)}
          onConfirm={() => {
            const r = confirming;
            setConfirming(null);
            void setActive(r, false);
          }}
        />
      )}
    </div>
  );
}

/** How many weeks ahead the templates are laid out; a longer horizon lays them out at once. */
function HorizonSection({ canEdit }: { canEdit: boolean }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const notify = useNotify();
  const weeksId = useId();
  const hintId = useId();
  const horizon = useQuery({ queryKey: ['templates.getHorizon'], queryFn: () => call('templates.getHorizon', {}) });
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const weeks = draft ?? String(horizon.data?.weeks ?? '');

  async function save(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      const { expansion, ...next } = await call('templates.setHorizon', { weeks: Number(weeks) });
      client.setQueryData(['templates.getHorizon'], next);
      setDraft(null);
      notify(
        'ok',
        [t('settings.horizon.saved', { count: next.weeks }), t('settings.horizon.created', { count: expansion.created })].join(
          ' ',
        ),
      );
      await client.invalidateQueries({ queryKey: ['calendar.range'] });
    } catch (err) {
      setError((err as Error).message);
    }
  }

  const data = horizon.data;
  const longest = Math.max(0, ...(data?.typesBeyond ?? []).map((x) => x.bookMaxDays));
  return (
    <div className="tb-card" data-testid="settings-horizon">
      <h2>{t('settings.horizon.title')}</h2>
      <form className="tb-form tb-form-compact" onSubmit={(e) => void save(e)}>
        <div className="tb-row">
          <div className="tb-field tb-narrow-field">
            <label htmlFor={weeksId}>{t('settings.horizon.weeks')}</label>
            <input
              id={weeksId}
              type="number"
              min={1}
              max={104}
              required
              value={weeks}
              disabled={!canEdit}
              aria-describedby={hintId}
              onChange={(e) => setDraft(e.target.value)}
            />
          </div>
          {canEdit && (
            <div className="tb-field tb-settings-fixed">
              <button type="submit" className="tb-button" disabled={!data || weeks === String(data.weeks)}>
                {t('settings.horizon.save')}
              </button>
            </div>
          )}
        </div>
        <p id={hintId} className="tb-field-hint" data-testid="horizon-until">
          {data && t('settings.horizon.until', { date: formatDay(data.until, i18n.language, true) })}{' '}
          {t('settings.horizon.shrink')}
        </p>
        {data && data.typesBeyond.length > 0 && (
          <p className="tb-warning" data-testid="horizon-types-beyond">
            {t('settings.horizon.typesBeyond', {
              count: data.typesBeyond.length,
              days: longest,
              // N weeks reach today + 7N - 1 days (today is the first day), as services/templates.ts counts.
              horizonDays: data.weeks * 7 - 1,
              weeks: Math.floor(longest / 7) + 1,
            })}{' '}
            <span className="tb-muted">
              {data.typesBeyond.map((x) => (i18n.language.startsWith('en') ? x.nameEn : x.nameSv)).join(', ')}
            </span>
          </p>
        )}
        {error && (
          <p role="alert" className="tb-form-error">
            {error}
          </p>
        )}
      </form>
    </div>
  );
}

const EVES = ['julafton', 'nyarsafton', 'midsommarafton'] as const;

function EvesSection({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const notify = useNotify();
  const headingId = useId();
  const rules = useQuery({ queryKey: ['holidays.getRules'], queryFn: () => call('holidays.getRules', {}) });

  // The boxes follow a click at once (React state, not the query cache, which notifies later);
  // a refusal puts them back to what main holds.
  const [shown, setShown] = useState<HolidayRulesView | null>(null);
  const view = shown ?? rules.data;

  async function toggle(eve: (typeof EVES)[number], closed: boolean) {
    if (view) setShown({ ...view, [eve]: closed });
    try {
      const { slotsRemoved, slotsCreated, bookedKept, ...next } = await call('holidays.setRules', { [eve]: closed });
      client.setQueryData(['holidays.getRules'], next);
      setShown(next);
      // The book follows the eve: say what moved, and which booked times the desk must rebook.
      const moved = [
        slotsRemoved > 0 ? t('settings.eves.removed', { count: slotsRemoved }) : '',
        slotsCreated > 0 ? t('settings.eves.created', { count: slotsCreated }) : '',
      ].filter(Boolean);
      notify('ok', [t('settings.eves.saved'), ...moved].join(' '));
      if (bookedKept.length > 0) notify('error', t('settings.eves.bookedKept', { count: bookedKept.length }));
      await client.invalidateQueries({ queryKey: ['holidays.list'] });
      await client.invalidateQueries({ queryKey: ['calendar.range'] });
    } catch (err) {
      setShown(null);
      notify('error', (err as Error).message);
    }
  }

  return (
    <div className="tb-card" data-testid="settings-eves" role="group" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('settings.eves.title')}</h2>
      <p className="tb-muted">{t('settings.eves.lead')}</p>
      {rules.error && <p role="alert">{rules.error.message}</p>}
      <div className="tb-check-grid">
        {view &&
          EVES.map((eve) => (
            <label key={eve} className="tb-check">
              <input
                type="checkbox"
                checked={view[eve]}
                disabled={!canEdit}
                onChange={(e) => void toggle(eve, e.target.checked)}
                data-eve={eve}
              />{' '}
              {t(`settings.eves.${eve}`)}
            </label>
          ))}
      </div>
    </div>
  );
}
