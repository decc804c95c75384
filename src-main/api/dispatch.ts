// The one entry point both shells (and the tests) call: role check, input validation, the
// handler in one SQLite transaction for 'change' methods, and a typed result. Change events
// raised inside a transaction are delivered only after it commits.
import { z } from 'zod';
import { contract, type MethodName } from './contract.ts';
import { AppError, type Result } from './result.ts';
import { fieldLabel, withMethodLabels } from './field-labels.ts';
import { databaseBusy, isDatabaseBusy } from './busy.ts';
import { handlers, type HandlerEnv } from './handlers.ts';
import type { ChangeEvent, Role } from './types.ts';
import type { ChangeBus } from '../services/context.ts';
import type { Logger } from '../log.ts';

const ROLE_SV: Record<Role, string> = { receptionist: 'reception', scheduler: 'schemaläggare', admin: 'administratör' };

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(contract, name);
}

// zod's own messages (where a schema gives none) in Swedish too: staff read them. The common
// cases read as plain Swedish; zod's Swedish locale ("För lite(t): förväntade number att ha >=0")
// covers the rest.
const swedish = z.locales.sv();
z.config({ ...swedish, customError: labelled });

/** zod's own message in Swedish, after the name of the field in words where the input names it. */
function labelled(issue: z.core.$ZodRawIssue): string | undefined {
  const own = swedish.localeError?.(issue);
  const message = plainSwedish(issue) ?? (typeof own === 'string' ? own : own?.message);
  const label = fieldLabel(issue.path);
  return message && label ? `${label}: ${message}` : message;
}

function plainSwedish(issue: z.core.$ZodRawIssue): string | undefined {
  const kind = 'origin' in issue ? issue.origin : undefined;
  switch (issue.code) {
    case 'too_small': {
      const min = Number(issue.minimum);
      if (kind === 'number') return issue.inclusive ? `Värdet måste vara minst ${min}.` : `Värdet måste vara större än ${min}.`;
      if (kind === 'string') return min <= 1 ? 'Fältet får inte vara tomt.' : `Skriv minst ${min} tecken.`;
      if (kind === 'array' || kind === 'set') return min <= 1 ? 'Välj minst ett alternativ.' : `Välj minst ${min} alternativ.`;
      return undefined;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (kind === 'number') return issue.inclusive ? `Värdet får vara högst ${max}.` : `Värdet måste vara mindre än ${max}.`;
      if (kind === 'string') return `Högst ${max} tecken.`;
      if (kind === 'array' || kind === 'set') return `Högst ${max} val.`;
      return undefined;
    }
    case 'invalid_type': {
      if (issue.input === undefined) return 'Uppgiften saknas.';
      if (issue.expected === 'int') return 'Ange ett heltal.';
      if (issue.expected === 'number') return 'Ange ett tal.';
      const given = swedishKindOf(issue.input);
      if (issue.expected === 'string') return `Ange text, inte ${given}.`;
      if (issue.expected === 'boolean') return 'Ange ja eller nej (true eller false).';
      if (issue.expected === 'array') return `Ange en lista, inte ${given}.`;
      // The whole request (path empty) is what a client sends wrong most often.
      if (issue.expected === 'object') {
        return issue.path?.length
          ? `Ange ett objekt, inte ${given}.`
          : `Begäran ska vara ett objekt med uppgifter, inte ${given}.`;
      }
      return undefined;
    }
    case 'invalid_union':
      return 'Ogiltigt val.';
    default:
      return undefined;
  }
}

/** What a client sent instead, in words ("ett tal", "en lista"). */
function swedishKindOf(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'en lista';
  if (typeof input === 'string') return 'text';
  if (typeof input === 'number') return 'ett tal';
  if (typeof input === 'boolean') return 'ja/nej';
  if (typeof input === 'object') return 'ett objekt';
  return typeof input;
}

/**
 * Swedish summary of zod issues for the staff member, with the field paths in the details (for
 * forms and logs: a path such as "hsaId" is a code name, not Swedish).
 */
function validationError(error: z.ZodError): AppError {
  const issues = error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const first = issues[0];
  const message = first ? `Ogiltiga uppgifter: ${first.message}` : 'Ogiltiga uppgifter.';
  return new AppError('validation', message, { issues });
}

function toError(err: AppError): Result<never> {
  return {
    ok: false,
    error: { code: err.code, message: err.messageSv, ...(err.details === undefined ? {} : { details: err.details }) },
  };
}

/** A bus that holds events until flush(), so listeners never hear of a change that rolled back. */
function bufferedBus(target: ChangeBus): ChangeBus & { flush(): void; discard(): void } {
  const held: ChangeEvent[] = [];
  return {
    emit: (e) => held.push(e),
    subscribe: (l) => target.subscribe(l),
    discard: () => void held.splice(0),
    flush() {
      if (held.length === 0) return;
      const entities = [...new Set(held.flatMap((e) => e.entities))];
      const ids = [...new Set(held.flatMap((e) => e.ids))];
      target.emit({ entities, ids });
    },
  };
}

export async function dispatch(env: HandlerEnv, name: string, rawInput: unknown, log?: Logger): Promise<Result<unknown>> {
  if (!isMethodName(name)) {
    return { ok: false, error: { code: 'not_found', message: `Okänd funktion: ${name}.` } };
  }
  const def = contract[name];
  // Public methods (sign-in, status) run before anyone is signed in; api/session.ts decides that.
  const isPublic = 'access' in def && def.access === 'public';
  if (!isPublic && !def.roles.some((r) => env.caller.roles.includes(r))) {
    // Says who may, so staff know whom to ask; the roles by their names in the user admin screen.
    const names = def.roles.map((r) => ROLE_SV[r]);
    const who = names.length > 1 ? `${names.slice(0, -1).join(', ')} eller ${names.at(-1)}` : names[0];
    return {
      ok: false,
      error: {
        code: 'forbidden',
        message: `Din roll får inte göra detta. Det kräver rollen ${who}.`,
        details: { method: name, roles: def.roles },
      },
    };
  }
  const parsed = withMethodLabels(name, () => def.input.safeParse(rawInput ?? {}));
  if (!parsed.success) {
    const refused = validationError(parsed.error);
    // Support reads why a call was refused (TIDBOK_LOG_LEVEL=debug; the CLI prints info to stderr):
    // the fields, never the values typed.
    log?.debug(
      { method: name, code: refused.code, fields: parsed.error.issues.map((i) => i.path.join('.')) },
      'api call refused',
    );
    return toError(refused);
  }

  const handler = handlers[name] as unknown as (env: HandlerEnv, input: unknown) => unknown;
  const bus = bufferedBus(env.ctx.events);
  const scoped: HandlerEnv = { ...env, ctx: { ...env.ctx, events: bus } };
  try {
    let value: unknown;
    if ('async' in def && def.async) {
      value = await (handler(scoped, parsed.data) as Promise<unknown>);
    } else {
      // Reads run in a transaction too: they may write access-log rows, and see one snapshot.
      const run = env.ctx.db.transaction(() => handler(scoped, parsed.data));
      const nested = env.ctx.db.inTransaction;
      try {
        value = def.kind === 'change' ? run.immediate() : run.deferred();
      } catch (err) {
        // A deferred read that must write the access log while another process writes fails at
        // once (it cannot wait to become a writer): run it again as a writer, waiting its turn.
        if (def.kind === 'change' || nested || !isDatabaseBusy(err)) throw err;
        bus.discard();
        value = run.immediate();
      }
    }
    bus.flush();
    return { ok: true, value };
  } catch (err) {
    if (err instanceof AppError) {
      // The rule and ids of details (no names or numbers: services put those in the message only).
      log?.debug({ method: name, code: err.code, details: err.details }, 'api call refused');
      return toError(err);
    }
    if (isDatabaseBusy(err)) {
      log?.warn({ err, method: name }, 'database busy: another process held the write lock past busy_timeout');
      return toError(databaseBusy());
    }
    log?.error({ err, method: name }, 'api handler failed');
    return { ok: false, error: { code: 'internal', message: 'Ett oväntat fel inträffade. Försök igen eller kontakta support.' } };
  }
}
