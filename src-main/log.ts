// Structured logs (pino). Identity numbers and patient names never reach a log file: known
// fields are redacted by path, and anything shaped like a personnummer is masked in strings.
import { pino, type Logger as PinoLogger, type DestinationStream } from 'pino';
import { createRequire } from 'node:module';
import { join } from 'node:path';

export type Logger = PinoLogger;

const IDENTITY_RE = /\b(\d{2})?(\d{6})[-+]?(\d{4})\b/g;

/** Masks every substring shaped like a Swedish identity number. */
export function maskIdentityNumbers(text: string): string {
  return text.replace(IDENTITY_RE, '[personnummer]');
}

const REDACT_PATHS = [
  'identityNumber',
  'identity_number',
  'personnummer',
  'givenName',
  'given_name',
  'familyName',
  'family_name',
  'displayName',
  'patient.identityNumber',
  'patient.displayName',
  'patient.givenName',
  'patient.familyName',
  'input.identityNumber',
  'input.givenName',
  'input.familyName',
  'input.query',
  '*.identityNumber',
  '*.displayName',
  'password',
  '*.password',
  'token',
  '*.token',
];

/** Keys whose values are patient identity or contact data, or secrets, wherever they appear. */
const SENSITIVE_KEYS: ReadonlySet<string> = new Set([
  ...REDACT_PATHS.filter((p) => !p.includes('.')),
  'display_name',
  'patientName',
  'patient_name',
  'phone',
  'email',
  'address',
  'query',
  'password_hash',
  'token_hash',
]);

export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env['TIDBOK_LOG_LEVEL'] ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      // Errors are serialised in formatters.log below (before masking); pino's own err serializer,
      // which runs after it, would only rename their type to Object.
      serializers: { err: (e: unknown) => e },
      formatters: {
        log(obj) {
          // An Error's message and stack are not own enumerable fields: serialise errors first (type,
          // message, stack, cause), or the round trip below would log them as {}.
          const plain = Object.fromEntries(
            Object.entries(obj).map(([k, v]) => [k, v instanceof Error ? pino.stdSerializers.errWithCause(v) : v]),
          );
          // Error messages can quote user input: mask identity numbers in every string field, and
          // redact sensitive keys at any depth (redact paths above cover only fixed depths).
          return JSON.parse(maskIdentityNumbers(JSON.stringify(plain)), (key, value: unknown) =>
            SENSITIVE_KEYS.has(key) && value !== null && typeof value !== 'object' ? '[redacted]' : value,
          ) as Record<string, unknown>;
        },
      },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === 'string' ? maskIdentityNumbers(a) : a)) as Parameters<typeof method>);
        },
      },
    },
    options.destination ?? pino.destination(2),
  );
}

interface RollOptions {
  file: string;
  extension?: string;
  frequency?: 'daily' | 'hourly' | number;
  size?: string;
  mkdir?: boolean;
  limit?: { count?: number; removeOtherLogFiles?: boolean };
}
// pino-roll ships no types; this is the part of its API we use (build(options) => SonicBoom).
const roll = createRequire(import.meta.url)('pino-roll') as (options: RollOptions) => Promise<DestinationStream>;

/** `<user-data>/logs`, or TIDBOK_LOG_DIR. */
export function logDirFor(userDataDir: string): string {
  return process.env['TIDBOK_LOG_DIR'] ?? join(userDataDir, 'logs');
}

export interface FileLogOptions {
  /** Folder for the log files: `<user-data>/logs` (TIDBOK_LOG_DIR overrides). */
  dir: string;
  level?: string;
  /** Roll to a new file at this size (pino-roll notation: 10m, 500k) and at least daily. */
  size?: string;
  /** Older files kept besides the current one. */
  keep?: number;
}

/**
 * The shells' logger (Electron main, web shell): a daily and size-rotated file in the user-data
 * folder, plus warnings and errors on stderr. The CLI keeps createLogger() (stderr only).
 */
export async function createFileLogger(options: FileLogOptions): Promise<Logger> {
  const file = await roll({
    file: join(options.dir, 'tidbok'),
    extension: '.log',
    frequency: 'daily',
    size: options.size ?? '10m',
    mkdir: true,
    limit: { count: options.keep ?? 14, removeOtherLogFiles: true },
  });
  const level = options.level ?? process.env['TIDBOK_LOG_LEVEL'] ?? 'info';
  const streams = pino.multistream([
    { level: level as pino.Level, stream: file },
    { level: 'warn', stream: pino.destination(2) },
  ]);
  return createLogger({ level, destination: streams });
}
