// Structured logs (pino). Identity numbers and patient names never reach a log file: known
// fields are redacted by path, and anything shaped like a personnummer is masked in strings.
import { pino, type Logger as PinoLogger, type DestinationStream } from 'pino';

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

export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env['TIDBOK_LOG_LEVEL'] ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      formatters: {
        log(obj) {
          // Error messages can quote user input: mask identity numbers in every string field.
          return JSON.parse(maskIdentityNumbers(JSON.stringify(obj))) as Record<string, unknown>;
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
