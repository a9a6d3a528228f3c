/**
 * The service's one logger: pino, JSON lines on stdout (one object per line, for any collector),
 * human-readable through pino-pretty only when stdout is a terminal outside production. Paths
 * that could hold a secret or a personal value are redacted wherever they appear, as a second
 * line of defence: the access log already writes only fields chosen for it (access-log.ts).
 */
import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/** The levels LOG_LEVEL accepts, quietest last. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Field names never written with their value, at the top level or one or two levels down. */
const SECRET_FIELDS = [
  'authorization', 'Authorization', 'cookie', 'set-cookie', 'token', 'accessToken', 'access_token', 'refreshToken', 'idToken', 'bearer',
  'password', 'secret', 'adminSecret', 'dataKey', 'apiKey', 'privateKey', 'jwk',
  // Personal fields of members and reporters (core's personal-data and reports).
  'nationalId', 'idNumber', 'phone', 'phoneNumber', 'email', 'contactEmail', 'contactPhone', 'dateOfBirth', 'legalName', 'reporterContact', 'contact', 'address', 'homeAddress',
  // Client addresses: the access log carries a keyed pseudonym instead.
  'ip', 'remoteAddress', 'remotePort', 'clientAddress', 'x-forwarded-for', 'x-real-ip', 'forwarded',
];
export const REDACTED_PATHS = SECRET_FIELDS.flatMap((f) => {
  const key = /^[A-Za-z_$][\w$]*$/.test(f) ? f : `["${f}"]`;
  const join = (prefix: string) => (key.startsWith('[') ? `${prefix}${key}` : `${prefix}.${key}`);
  return [key, join('*'), join('*.*')];
});

export interface LoggerSettings {
  level: LogLevel;
  /** Human-readable lines (pino-pretty); default false (main.ts: on a terminal outside production). */
  pretty?: boolean;
  /** Where lines go (tests pass a stream they read); default stdout. */
  destination?: NodeJS.WritableStream;
}

/**
 * @example
 * const logger = createLogger({ level: 'info' });
 * logger.info({ route: '/graphql' }, 'started');
 */
export function createLogger(settings: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level: settings.level,
    base: { service: 'trust-alliance-api' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    // Error objects keep their type and stack, and nothing else they might carry (SQL parameters).
    serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
  };
  const pretty = settings.pretty ?? false;
  if (settings.destination) return pino(options, settings.destination as pino.DestinationStream);
  if (pretty) return pino({ ...options, transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service' } } });
  return pino(options);
}

/**
 * An unexpected error, logged once at error level with the incident id the client was given
 * (mask-error and the HTTP handler call this; expected client errors are not errors here).
 * @example logUnexpectedError(logger, incident, error, { route: '/graphql' });
 */
export function logUnexpectedError(logger: Logger, incident: string, error: unknown, fields: Record<string, unknown> = {}): void {
  logger.error({ ...fields, incident, err: error instanceof Error ? error : new Error(String(error)) }, `unexpected error (incident ${incident})`);
}

/**
 * Yoga's logger over pino: its debug/info chatter at debug, its warnings as warnings. Its
 * error-level lines are dropped: Yoga reports there every error its masking changed, expected ones
 * too; the unexpected ones are logged once by mask-error with their incident id.
 */
export function yogaLogger(logger: Logger): { debug: (...a: unknown[]) => void; info: (...a: unknown[]) => void; warn: (...a: unknown[]) => void; error: (...a: unknown[]) => void } {
  const child = logger.child({ component: 'yoga' });
  const text = (args: unknown[]) => args.map((a) => (typeof a === 'string' ? a : a instanceof Error ? a.message : JSON.stringify(a))).join(' ');
  // Yoga writes debug lines on every request: their text is built only when debug is on.
  const debug = (...args: unknown[]) => {
    if (child.isLevelEnabled('debug')) child.debug(text(args));
  };
  return {
    debug,
    info: debug,
    warn: (...args) => child.warn(text(args)),
    error: () => {},
  };
}
