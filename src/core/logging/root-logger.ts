import { pino, type Logger as PinoLogger } from 'pino';
import type { LogLevel } from '../../config/app-config.js';
import { traceLogFields } from '../../telemetry/log-correlation.js';

/** Paths pino blanks out wherever they appear in a log line: credentials never reach a log. */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'res.headers["set-cookie"]',
  'token',
  'ssid',
  'sessionId',
  '*.token',
  '*.ssid',
  '*.sessionId',
  '*.authorization',
];

/** The application's one pino logger: Nest's logs and the request lines both go through it. */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

export function createRootLogger(level: LogLevel, destination?: NodeJS.WritableStream): PinoLogger {
  return pino(
    // The mixin adds the active span's trace_id and span_id to every line written inside a request.
    { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, mixin: traceLogFields },
    destination ?? stdoutDestination(),
  );
}

/** The longest a line waits in the batch: at low traffic a batch may take minutes to fill. */
const LOG_FLUSH_INTERVAL_MS = 500;

/**
 * stdout through sonic-boom, in batches of at least 4 KiB: one write per batch instead of one
 * per line (process.stdout on a pipe is an unbounded buffer, and a write per line costs CPU).
 * A timer (unref'd: it keeps no process alive) writes a partial batch, so a line reaches stdout
 * within LOG_FLUSH_INTERVAL_MS at any traffic level. What is left is written synchronously on
 * exit, which also runs after an uncaught error; only a SIGKILL loses it.
 */
function stdoutDestination(): pino.DestinationStream {
  const stream = pino.destination({ dest: 1, sync: false, minLength: 4 * 1024, maxWrite: 64 * 1024 });
  setInterval(() => stream.flush(), LOG_FLUSH_INTERVAL_MS).unref();
  process.once('exit', () => stream.flushSync());
  return stream;
}
