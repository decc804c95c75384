// The one entry point both shells call: role check, input validation, handler, typed result.
import { z } from 'zod';
import { contract, type MethodName } from './contract.ts';
import { AppError, type Result } from './result.ts';
import { handlers, type HandlerEnv } from './handlers.ts';
import type { Logger } from '../log.ts';

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(contract, name);
}

/** Swedish summary of zod issues, with the paths for the details. */
function validationError(error: z.ZodError): AppError {
  const issues = error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const first = issues[0];
  const message = first ? (first.path ? `Ogiltiga uppgifter (${first.path}): ${first.message}` : `Ogiltiga uppgifter: ${first.message}`) : 'Ogiltiga uppgifter.';
  return new AppError('validation', message, { issues });
}

export function dispatch(env: HandlerEnv, name: string, rawInput: unknown, log?: Logger): Result<unknown> {
  if (!isMethodName(name)) {
    return { ok: false, error: { code: 'not_found', message: `Okänd funktion: ${name}.` } };
  }
  const def = contract[name];
  if (!def.roles.some((r) => env.caller.roles.includes(r))) {
    return { ok: false, error: { code: 'forbidden', message: 'Din roll får inte göra detta.' } };
  }
  const parsed = def.input.safeParse(rawInput ?? {});
  if (!parsed.success) {
    const e = validationError(parsed.error);
    return { ok: false, error: { code: e.code, message: e.messageSv, details: e.details } };
  }
  try {
    const handler = handlers[name] as unknown as (env: HandlerEnv, input: unknown) => unknown;
    return { ok: true, value: handler(env, parsed.data) };
  } catch (err) {
    if (err instanceof AppError) {
      return { ok: false, error: { code: err.code, message: err.messageSv, ...(err.details === undefined ? {} : { details: err.details }) } };
    }
    log?.error({ err, method: name }, 'api handler failed');
    return { ok: false, error: { code: 'internal', message: 'Ett oväntat fel inträffade. Försök igen eller kontakta support.' } };
  }
}
