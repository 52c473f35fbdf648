/**
 * The server's one logger: JSON lines (pino) on stdout. Inside an HTTP request every line carries
 * the request's id: the request's child logger is kept in AsyncLocalStorage, so code deep in a
 * service logs through `log()` without the logger being handed down.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** LOG_LEVEL, else silent under tests (their output stays clean), else info. */
export function configuredLevel(env: NodeJS.ProcessEnv = process.env): string {
  const level = env.LOG_LEVEL?.trim().toLowerCase();
  if (level) {
    if (!LEVELS.includes(level)) throw new Error(`LOG_LEVEL must be one of ${LEVELS.join(', ')}, not ${JSON.stringify(env.LOG_LEVEL)}`);
    return level;
  }
  return env.NODE_ENV === 'test' || env.VITEST ? 'silent' : 'info';
}

/**
 * LOG_FORMAT: json (one JSON object per line, for a log collector) or pretty (time, level and
 * message, for a person at a terminal); default pretty when stdout is a terminal, else json.
 */
export function configuredFormat(env: NodeJS.ProcessEnv = process.env, terminal = Boolean(process.stdout.isTTY)): 'json' | 'pretty' {
  const format = env.LOG_FORMAT?.trim().toLowerCase();
  if (format === 'json' || format === 'pretty') return format;
  if (format) throw new Error(`LOG_FORMAT must be json or pretty, not ${JSON.stringify(env.LOG_FORMAT)}`);
  return terminal ? 'pretty' : 'json';
}

/** A JSON line as a person reads it: "12:04:31 INFO  [request id] message {other fields}", then an error's stack. */
export function prettyLine(json: string): string {
  const { level, time, msg, service: _service, requestId, err, ...rest } = JSON.parse(json) as Record<string, unknown>;
  const head = `${String(time ?? '').slice(11, 19)} ${String(level ?? '')
    .toUpperCase()
    .padEnd(5)} ${requestId ? `[${String(requestId)}] ` : ''}${String(msg ?? '')}`;
  const fields = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
  const stack = err && typeof err === 'object' && 'stack' in err ? `\n${String(err.stack)}` : '';
  return `${head}${fields}${stack}\n`;
}

const prettyStdout: DestinationStream = { write: (line: string) => void process.stdout.write(prettyLine(line)) };

/** A logger writing to `destination` (default: stdout, synchronously, so that a line before process.exit is not lost). */
export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? configuredLevel(),
      base: { service: 'recoup' },
      timestamp: pino.stdTimeFunctions.isoTime,
      // "level":"error" reads (and greps) better than pino's numbers.
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: serializeError },
    },
    options.destination ?? (configuredFormat() === 'pretty' ? prettyStdout : pino.destination({ dest: 1, sync: true })),
  );
}

/**
 * An error's type, message, stack and code, and its cause's. Not pino's default serializer: that
 * copies every enumerable property, and TypeORM's QueryFailedError carries the statement's
 * parameter values (partners' data) there.
 */
export function serializeError(error: unknown, depth = 0): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const code = (error as { code?: unknown }).code;
  const cause = error.cause ?? (error as { driverError?: unknown }).driverError;
  return {
    type: error.constructor?.name ?? error.name,
    message: error.message,
    stack: error.stack,
    ...(typeof code === 'string' ? { code } : {}),
    ...(cause !== undefined && cause !== error && depth < 3 ? { cause: serializeError(cause, depth + 1) } : {}),
  };
}

let root: Logger = createLogger();

/** What the process logs through outside a request (startup, shutdown, background work). */
export function rootLogger(): Logger {
  return root;
}

/** Makes `next` the root logger (tests capture the lines so); returns the undo. */
export function replaceRootLogger(next: Logger): () => void {
  const previous = root;
  root = next;
  return () => {
    root = previous;
  };
}

/** One HTTP request as the logs and metrics see it. */
export interface RequestScope {
  requestId: string;
  logger: Logger;
  /** The GraphQL operation's metric label, once Apollo has resolved the operation. */
  operation?: string;
}

const scopes = new AsyncLocalStorage<RequestScope>();

/** The current request's scope, if the code runs inside one. */
export function currentScope(): RequestScope | undefined {
  return scopes.getStore();
}

/** The logger to use here: the request's (with its id) inside a request, else the root logger. */
export function log(): Logger {
  return scopes.getStore()?.logger ?? root;
}

export function runInScope<T>(scope: RequestScope, fn: () => T): T {
  return scopes.run(scope, fn);
}
