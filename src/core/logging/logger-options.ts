import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pino } from 'pino';
import { traceOf } from '../request/request-trace.js';
import type { LogLevel } from '../../config/app-config.js';

/** Paths pino blanks out wherever they appear in a log line: credentials never reach a log. */
export const REDACTED_PATHS = [
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

const QUIET_PATHS = ['/health/live', '/health/ready', '/metrics'];

/** One JSON line per request (method, route, status, duration, request id), none for probes. */
export function loggerOptions(level: LogLevel, destination?: NodeJS.WritableStream): Params {
  return {
    // nestjs-pino's default route pattern ('{/*splat}') matches nothing under Nest 12 + Fastify.
    forRoutes: [{ path: '*', method: RequestMethod.ALL }],
    pinoHttp: [
      {
        level,
        redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
        // requestIdFor() put the id on the raw request before any middleware ran.
        genReqId: (request: IncomingMessage) => (request as IncomingMessage & { id?: string }).id ?? 'unknown',
        customAttributeKeys: { reqId: 'requestId' },
        quietReqLogger: true,
        autoLogging: { ignore: (request: IncomingMessage) => QUIET_PATHS.includes(pathOf(originalUrl(request))) },
        serializers: {
          req: (request: IncomingMessage) => ({ method: request.method, path: pathOf(originalUrl(request)) }),
          res: (response: ServerResponse) => ({ statusCode: response.statusCode }),
        },
        // A 4xx is the caller's business (info); a 5xx is ours or DeepCall's (error).
        customLogLevel: (_request: IncomingMessage, response: ServerResponse, error?: Error) => (error || response.statusCode >= 500 ? 'error' : 'info'),
        // The route template and the DeepCall calls made, with their durations.
        customSuccessObject: (request: IncomingMessage, _response: ServerResponse, value: object) => ({ ...value, ...traceOf(request) }),
        customErrorObject: (request: IncomingMessage, _response: ServerResponse, _error: Error, value: object) => ({ ...value, ...traceOf(request) }),
        customSuccessMessage: (request: IncomingMessage, response: ServerResponse) => `${request.method} ${pathOf(request.url)} ${response.statusCode}`,
        customErrorMessage: (request: IncomingMessage, response: ServerResponse) => `${request.method} ${pathOf(request.url)} ${response.statusCode}`,
      },
      destination ?? stdoutDestination(),
    ],
  };
}

// Nest's middleware matching rewrites req.url; the original is what the client asked for.
function originalUrl(request: IncomingMessage): string | undefined {
  return (request as IncomingMessage & { originalUrl?: string }).originalUrl ?? request.url;
}

/**
 * stdout through sonic-boom, in batches of at least 4 KiB: one write per batch instead of one
 * per line (process.stdout on a pipe is an unbounded buffer, and a write per line costs CPU).
 * Flushed on exit, so the last lines of a stopping process are kept.
 */
function stdoutDestination(): NodeJS.WritableStream {
  const stream = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  process.once('exit', () => stream.flushSync());
  return stream as unknown as NodeJS.WritableStream;
}

function pathOf(url: string | undefined): string {
  if (!url) return '';
  const end = url.indexOf('?');
  return end === -1 ? url : url.slice(0, end);
}
