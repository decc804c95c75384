// Schemamallar: recurring slot patterns per clinician or room. The form shows, live, the slots the
// template would create over the coming weeks and the public holidays it skips; saving creates the
// template and lays out its slots (main expands it, idempotently). The same form edits a template:
// main moves only future unbooked slots, and the result lists the booked ones it left.
import { useId, useMemo, useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ScheduleTemplate, TemplateChange } from '../../src-main/api/methods/scheduling.ts';
import { call } from '../api/client.ts';
import { ResourceOptions, useActiveResources } from '../api/resources.tsx';
import { NoticeProvider, useNotify } from '../booking/notices.tsx';
import { Dialog, FormDialogFooter } from '../keyboard/Dialog.tsx';
import { useDebounced } from '../booking/useDebounced.ts';
import { formatDate, formatDay } from '../i18n/format.ts';
import { addDaysIso, todayIso } from '../calendar/wallclock.ts';
import { BookingDialog } from '../booking/BookingDialog.tsx';
import { PatientDialog } from '../patients/PatientDialog.tsx';
import { TemplateEditResult } from './TemplateEditResult.tsx';
import { EndTimeField } from './EndTimeField.tsx';
import { SlotForm } from './SlotForm.tsx';
import { TypeChecks } from './TypeChecks.tsx';
import { useRoles } from '../auth/roles.ts';
import './templates.css';

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];

export function TemplatesPage() {
  return (
    <NoticeProvider>
      <TemplatesScreen />
    </NoticeProvider>
  );
}

interface Draft {
  name: string;
  weekdays: number[];
  everyNWeeks: number;
  validFrom: string;
  validTo: string;
  startTime: string;
  endTime: string;
  slotMin: number;
  appointmentTypeIds: string[];
  publishWeb: boolean;
  withinCareGuarantee: boolean;
  skipHolidays: boolean;
}

function TemplatesScreen() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const notify = useNotify();
  const { canSchedule, known } = useRoles();
  const ids = { resource: useId() };
  const resources = useActiveResources();
  const types = useQuery({ queryKey: ['appointmentTypes.list'], queryFn: () => call('appointmentTypes.list', {}) });
  const [resourceId, setResourceId] = useState('');
  const rid = resourceId || resources.data?.[0]?.id || '';
  const templates = useQuery({
    queryKey: ['templates.list', rid],
    queryFn: () => call('templates.list', { resourceId: rid }),
    enabled: rid !== '',
  });
  // The form, for a new template (null) or an edit; then what an edit did, and a booking or patient
  // opened from that result (closing them returns to the result).
  const [form, setForm] = useState<{ template: ScheduleTemplate | null } | null>(null);
  const [result, setResult] = useState<TemplateChange | null>(null);
  const [opened, setOpened] = useState<{ kind: 'booking' | 'patient'; id: string } | null>(null);
  const [slotForm, setSlotForm] = useState(false);
  const typeName = (id: string) => {
    const x = types.data?.find((y) => y.id === id);
    return x ? (i18n.language === 'en' ? x.nameEn : x.nameSv) : '';
  };
  const dayName = (d: number) => t(`tpl.wd.${d}`);

  async function deactivate(tpl: ScheduleTemplate) {
    try {
      const r = await call('templates.deactivate', { id: tpl.id });
      notify('ok', t('tpl.deactivated', { removed: r.expansion.removed, kept: r.expansion.bookedUnchanged.length }));
      await client.invalidateQueries();
    } catch (err) {
      notify('error', (err as Error).message);
    }
  }

  return (
    <section className="tb-page" aria-labelledby="tpl-heading">
      <div className="tb-page-head">
        <h1 id="tpl-heading">{t('nav.templates')}</h1>
        <label className="tb-inline-field" htmlFor={ids.resource}>
          {t('tpl.resource')}
        </label>
        <select id={ids.resource} value={rid} onChange={(e) => setResourceId(e.target.value)}>
          <ResourceOptions />
        </select>
        <span className="tb-toolbar-spacer" />
        {canSchedule && (
          <>
            <button type="button" className="tb-button" onClick={() => setSlotForm(true)} disabled={!rid}>
              {t('tpl.newSlot')}
            </button>
            <button type="button" className="tb-button tb-primary" onClick={() => setForm({ template: null })} disabled={!rid}>
              {t('tpl.new')}
            </button>
          </>
        )}
      </div>
      {!canSchedule && known && <p className="tb-muted">{t('tpl.readOnly')}</p>}
      {templates.error && <p role="alert">{templates.error.message}</p>}
      <table className="tb-table tb-compact" data-testid="templates-table">
        <thead>
          <tr>
            <th scope="col">{t('tpl.name')}</th>
            <th scope="col">{t('tpl.days')}</th>
            <th scope="col">{t('tpl.time')}</th>
            <th scope="col">{t('tpl.slotMin')}</th>
            <th scope="col">{t('tpl.types')}</th>
            <th scope="col">{t('tpl.valid')}</th>
            <th scope="col">{t('tpl.web')}</th>
            <th scope="col">
              <span className="tb-visually-hidden">{t('typeForm.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {templates.data?.length === 0 && (
            <tr>
              <td colSpan={8} className="tb-muted">
                {t('tpl.none')}
              </td>
            </tr>
          )}
          {templates.data?.map((x) => (
            <tr key={x.id} className={x.active ? '' : 'tb-inactive-row'}>
              <td>
                {x.active && canSchedule ? (
                  <button type="button" className="tb-link" onClick={() => setForm({ template: x })}>
                    {templateLabel(x)}
                  </button>
                ) : (
                  (x.active ? templateLabel(x) : x.name) || '–'
                )}
              </td>
              <td>
                {x.weekdays.map(dayName).join(', ')}
                {x.everyNWeeks > 1 && ` · ${t('tpl.everyN', { n: x.everyNWeeks })}`}
              </td>
              <td className="tb-nowrap">
                {x.startTime}–{x.endTime}
              </td>
              <td>{t('types.minutes', { count: x.slotMin })}</td>
              <td>{x.appointmentTypeIds.map(typeName).join(', ')}</td>
              <td className="tb-nowrap">
                {formatDate(x.validFrom, i18n.language, true)} –{' '}
                {x.validTo ? formatDate(x.validTo, i18n.language, true) : t('tpl.untilFurther')}
              </td>
              <td>{x.publishWeb ? t('types.yes') : t('types.no')}</td>
              <td className="tb-nowrap">
                {x.active && canSchedule && (
                  <>
                    <button
                      type="button"
                      className="tb-button tb-small"
                      onClick={() => setForm({ template: x })}
                      aria-label={t('tpl.editAria', { name: templateLabel(x) })}
                    >
                      {t('tpl.edit')}
                    </button>{' '}
                    <button type="button" className="tb-button tb-small" onClick={() => void deactivate(x)}>
                      {t('typeForm.deactivate')}
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {form && rid && (
        <TemplateForm
          resourceId={form.template?.resourceId ?? rid}
          resourceName={resources.data?.find((r) => r.id === (form.template?.resourceId ?? rid))?.name ?? ''}
          template={form.template}
          onClose={() => setForm(null)}
          onSaved={(change) => {
            setForm(null);
            if (form.template) setResult(change);
            // A template starting past the rolling horizon lays out nothing yet: say when it will.
            else if (change.expansion.created === 0 && change.template.validFrom >= change.expansion.to) {
              notify(
                'ok',
                t('tpl.createdLater', {
                  from: formatDay(change.template.validFrom, i18n.language, true),
                  until: formatDay(addDaysIso(change.expansion.to, -1), i18n.language, true),
                  weeks: Math.round((Date.parse(change.expansion.to) - Date.parse(change.expansion.from)) / (7 * 86_400_000)),
                }),
              );
            } else notify('ok', t('tpl.created', { count: change.expansion.created }));
            void client.invalidateQueries();
          }}
        />
      )}
      {slotForm && rid && (
        <SlotForm
          resourceId={rid}
          resourceName={resources.data?.find((r) => r.id === rid)?.name ?? ''}
          onClose={() => setSlotForm(false)}
          onSaved={(message) => {
            setSlotForm(false);
            notify('ok', message);
            void client.invalidateQueries();
          }}
        />
      )}
      {result && !opened && (
        <TemplateEditResult
          change={result}
          onOpenBooking={(id) => setOpened({ kind: 'booking', id })}
          onClose={() => setResult(null)}
        />
      )}
      {opened?.kind === 'booking' && (
        <BookingDialog
          bookingId={opened.id}
          onClose={() => setOpened(null)}
          onOpenPatient={(id) => setOpened({ kind: 'patient', id })}
        />
      )}
      {opened?.kind === 'patient' && (
        <PatientDialog
          patientId={opened.id}
          onClose={() => setOpened(null)}
          onOpenBooking={(id) => setOpened({ kind: 'booking', id })}
        />
      )}
    </section>
  );
}

/** A template's name, or its hours when it has none (names are optional). */
function templateLabel(x: ScheduleTemplate): string {
  return x.name || `${x.startTime}–${x.endTime}`;
}

const blankDraft = (): Draft => ({
  name: '',
  weekdays: [1, 2, 3, 4, 5],
  everyNWeeks: 1,
  validFrom: todayIso(),
  validTo: '',
  startTime: '08:00',
  endTime: '12:00',
  slotMin: 30,
  appointmentTypeIds: [],
  publishWeb: false,
  withinCareGuarantee: true,
  skipHolidays: true,
});

const draftOf = (x: ScheduleTemplate): Draft => ({
  name: x.name,
  weekdays: [...x.weekdays],
  everyNWeeks: x.everyNWeeks,
  validFrom: x.validFrom,
  validTo: x.validTo ?? '',
  startTime: x.startTime,
  endTime: x.endTime,
  slotMin: x.slotMin,
  appointmentTypeIds: [...x.appointmentTypeIds],
  publishWeb: x.publishWeb,
  withinCareGuarantee: x.withinCareGuarantee,
  skipHolidays: x.skipHolidays,
});

type Spec = Omit<ScheduleTemplate, 'id' | 'resourceId' | 'active' | 'version'>;

/** The fields an edit changes (templates.update takes only those; the audit names them). */
function changedFields(before: ScheduleTemplate, next: Spec): Partial<Spec> {
  const same = (a: unknown, b: unknown) =>
    Array.isArray(a) && Array.isArray(b) ? JSON.stringify([...a].sort()) === JSON.stringify([...b].sort()) : a === b;
  const changes = Object.fromEntries(
    (Object.keys(next) as (keyof Spec)[]).filter((k) => !same(before[k], next[k])).map((k) => [k, next[k]]),
  ) as Partial<Spec>;
  // Start and end go together, so the API can check their order on the edit itself.
  if (changes.startTime !== undefined || changes.endTime !== undefined) {
    changes.startTime = next.startTime;
    changes.endTime = next.endTime;
  }
  return changes;
}

function TemplateForm({
  resourceId,
  resourceName,
  template,
  onClose,
  onSaved,
}: {
  resourceId: string;
  resourceName: string;
  /** The template to edit; null for a new one. */
  template: ScheduleTemplate | null;
  onClose: () => void;
  onSaved: (change: TemplateChange) => void;
}) {
  const { t, i18n } = useTranslation();
  // Only the active types this resource's profession may perform: the others could never be booked here.
  const types = useQuery({
    queryKey: ['appointmentTypes.list', { forResourceId: resourceId }],
    queryFn: () => call('appointmentTypes.list', { forResourceId: resourceId }),
  });
  // An edited template may hold a type since deactivated or no longer fitting: still shown, so the
  // scheduler can see it and take it off.
  const allTypes = useQuery({
    queryKey: ['appointmentTypes.list', { includeInactive: true }],
    queryFn: () => call('appointmentTypes.list', { includeInactive: true }),
    enabled: template !== null,
  });
  const offered = [
    ...(types.data ?? []),
    ...(allTypes.data ?? []).filter(
      (x) => template?.appointmentTypeIds.includes(x.id) && !types.data?.some((y) => y.id === x.id),
    ),
  ];
  const [d, setD] = useState<Draft>(() => (template ? draftOf(template) : blankDraft()));
  const [openedVersion] = useState(template?.version); // see TypeForm
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // A refusal stays until the scheduler changes something (then it may no longer hold).
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => {
    setError(null);
    setD((x) => ({ ...x, [k]: v }));
  };
  const fid = {
    name: useId(),
    every: useId(),
    from: useId(),
    to: useId(),
    start: useId(),
    slot: useId(),
  };
  const spec = useMemo(
    (): Spec => ({
      name: d.name,
      weekdays: d.weekdays,
      everyNWeeks: d.everyNWeeks,
      validFrom: d.validFrom,
      validTo: d.validTo || null,
      startTime: d.startTime,
      endTime: d.endTime,
      slotMin: d.slotMin,
      appointmentTypeIds: d.appointmentTypeIds,
      publishWeb: d.publishWeb,
      withinCareGuarantee: d.withinCareGuarantee,
      skipHolidays: d.skipHolidays,
    }),
    [d],
  );
  const settled = useDebounced(spec, 250);
  const previewFrom = d.validFrom > todayIso() ? d.validFrom : todayIso();
  const preview = useQuery({
    queryKey: ['templates.preview', resourceId, settled],
    queryFn: () =>
      call('templates.preview', {
        template: { ...settled, resourceId },
        // An edit's own free times give way to it; other times the resource holds are named.
        ...(template ? { templateId: template.id } : {}),
        from: settled.validFrom > todayIso() ? settled.validFrom : todayIso(),
        to: addDaysIso(settled.validFrom > todayIso() ? settled.validFrom : todayIso(), 28),
      }),
    enabled: settled.weekdays.length > 0 && settled.appointmentTypeIds.length > 0 && settled.startTime < settled.endTime,
    placeholderData: (prev) => prev,
  });
  const byDate = useMemo(() => {
    const m = new Map<string, string[]>();
    for (const s of preview.data?.slots ?? []) m.set(s.date, [...(m.get(s.date) ?? []), s.startTime]);
    return m;
  }, [preview.data]);
  const dates = [...Array(28).keys()].map((i) => addDaysIso(previewFrom, i));
  const skipped = new Map((preview.data?.skipped ?? []).map((s) => [s.date, s.holiday]));
  const clockChanges = new Map((preview.data?.clockChanges ?? []).map((c) => [c.date, c]));
  // Times the resource already holds (another template's, a hand-made or a booked one): not laid out.
  const heldByDate = useMemo(() => {
    const m = new Map<string, string[]>();
    for (const s of preview.data?.overlapping ?? []) m.set(s.date, [...(m.get(s.date) ?? []), s.startTime]);
    return m;
  }, [preview.data]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSaved(
        template
          ? await call('templates.update', {
              id: template.id,
              changes: changedFields(template, spec),
              expectedVersion: openedVersion,
            })
          : await call('templates.create', { template: { ...spec, resourceId } }),
      );
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  }

  const toggle = (list: number[] | string[], v: number | string, on: boolean) =>
    on ? [...(list as (number | string)[]), v] : (list as (number | string)[]).filter((x) => x !== v);

  return (
    <Dialog
      title={t(template ? 'tpl.editFor' : 'tpl.newFor', { name: resourceName })}
      onClose={onClose}
      wide
      testId="template-form"
    >
      <form className="tb-form" onSubmit={(e) => void submit(e)}>
        <div className="tb-row">
          <div className="tb-field tb-grow">
            <label htmlFor={fid.name}>{t('tpl.name')}</label>
            <input
              id={fid.name}
              value={d.name}
              onChange={(e) => set('name', e.target.value)}
              placeholder={t('tpl.namePlaceholder')}
            />
          </div>
          <div className="tb-field">
            <label htmlFor={fid.start}>{t('tpl.start')}</label>
            <input id={fid.start} type="time" value={d.startTime} onChange={(e) => set('startTime', e.target.value)} required />
          </div>
          <EndTimeField value={d.endTime} onChange={(v) => set('endTime', v)} />
          <div className="tb-field">
            <label htmlFor={fid.slot}>{t('tpl.slotMin')}</label>
            <input
              id={fid.slot}
              type="number"
              min={5}
              max={480}
              value={d.slotMin}
              onChange={(e) => set('slotMin', Number(e.target.value))}
            />
          </div>
        </div>
        <div className="tb-row">
          <fieldset className="tb-fieldset">
            <legend>{t('tpl.days')}</legend>
            {WEEKDAYS.map((w) => (
              <label key={w} className="tb-check">
                <input
                  type="checkbox"
                  checked={d.weekdays.includes(w)}
                  onChange={(e) => set('weekdays', (toggle(d.weekdays, w, e.target.checked) as number[]).sort())}
                />
                {t(`tpl.wd.${w}`)}
              </label>
            ))}
          </fieldset>
          <div className="tb-field">
            <label htmlFor={fid.every}>{t('tpl.everyNWeeks')}</label>
            <input
              id={fid.every}
              type="number"
              min={1}
              max={52}
              value={d.everyNWeeks}
              onChange={(e) => set('everyNWeeks', Number(e.target.value))}
            />
          </div>
          <div className="tb-field">
            <label htmlFor={fid.from}>{t('tpl.validFrom')}</label>
            <input
              id={fid.from}
              type="date"
              value={d.validFrom}
              onChange={(e) => e.target.value && set('validFrom', e.target.value)}
            />
          </div>
          <div className="tb-field">
            <label htmlFor={fid.to}>{t('tpl.validTo')}</label>
            <input id={fid.to} type="date" value={d.validTo} onChange={(e) => set('validTo', e.target.value)} />
          </div>
        </div>
        <TypeChecks types={offered} chosen={d.appointmentTypeIds} onChange={(ids) => set('appointmentTypeIds', ids)} />
        <div className="tb-row">
          {(['publishWeb', 'withinCareGuarantee', 'skipHolidays'] as const).map((k) => (
            <label key={k} className="tb-check">
              <input type="checkbox" checked={d[k]} onChange={(e) => set(k, e.target.checked)} />
              {t(`tpl.${k}`)}
            </label>
          ))}
        </div>
        <section className="tb-preview" aria-labelledby="tpl-preview-heading" data-testid="template-preview">
          <h3 id="tpl-preview-heading">
            {t('tpl.preview')}{' '}
            <span className="tb-muted" aria-live="polite">
              {/* Why the preview is empty, where the scheduler looks: before saving, not after. */}
              {d.appointmentTypeIds.length === 0
                ? t('tpl.previewNeedsType')
                : d.weekdays.length === 0
                  ? t('tpl.previewNeedsDay')
                  : d.startTime >= d.endTime
                    ? t('tpl.previewNeedsTimes')
                    : preview.data
                      ? t('tpl.previewCount', { count: preview.data.slots.length - preview.data.overlapping.length })
                      : ''}
            </span>
          </h3>
          {template && <p className="tb-hint tb-muted">{t('tpl.editPreviewHint')}</p>}
          {heldByDate.size > 0 && <p className="tb-hint tb-preview-held">{t('tpl.heldHint')}</p>}
          {preview.error && (
            <p role="alert" className="tb-form-error">
              {preview.error.message}
            </p>
          )}
          <ol className="tb-preview-days">
            {dates.map((date) => {
              const holiday = skipped.get(date);
              const times = byDate.get(date);
              // DST inside the template's hours: say what the expansion does there.
              const clock = clockChanges.get(date);
              const held = byDate.has(date) ? heldByDate.get(date) : undefined;
              return (
                <li key={date} className={holiday ? 'tb-preview-holiday' : times ? 'tb-preview-open' : 'tb-preview-empty'}>
                  <span className="tb-preview-date">{formatDay(date, i18n.language)}</span>
                  {holiday ? (
                    <span className="tb-preview-note">{t('tpl.holiday', { name: holiday })}</span>
                  ) : times ? (
                    <span className="tb-preview-note">
                      {t('tpl.slotsOnDay', { count: times.length, first: times[0], last: times[times.length - 1] })}
                    </span>
                  ) : null}
                  {clock && !holiday && clock.times.length > 0 && (
                    <span className="tb-preview-note tb-preview-clock" data-testid="preview-clock-change">
                      {t(clock.change === 'forward' ? 'tpl.clockForward' : 'tpl.clockBack', { times: clock.times.join(', ') })}
                    </span>
                  )}
                  {held && !holiday && (
                    <span className="tb-preview-note tb-preview-held" data-testid="preview-held">
                      {t('tpl.heldOnDay', {
                        count: held.length,
                        times: held.length > 4 ? `${held.slice(0, 3).join(', ')} … ${held[held.length - 1]}` : held.join(', '),
                      })}
                    </span>
                  )}
                  {clock?.displaced && !holiday && (
                    <span className="tb-preview-note tb-preview-clock" data-testid="preview-clock-displaced">
                      {t('tpl.clockDisplaced', { times: clock.displaced.join(', ') })}
                    </span>
                  )}
                </li>
              );
            })}
          </ol>
        </section>
        <FormDialogFooter
          error={error}
          busy={busy}
          onCancel={onClose}
          submitLabel={template ? t('tpl.saveEdit') : t('tpl.save')}
        />
      </form>
    </Dialog>
  );
}
