import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as wait } from 'node:timers/promises';

import type { ActiveFault } from './sandbox-fault.js';
import { errorEnvelope, sendBody, sendJson } from './sandbox-respond.js';

const ERROR_PAGE = (status: number): string =>
  `<!DOCTYPE html>\n<html><head><title>${status} Error</title></head>` +
  `<body><h1>${status} Error</h1><p>The server could not handle the request.</p></body></html>\n`;

const MAINTENANCE_PAGE =
  '<!DOCTYPE html>\n<html><head><title>Maintenance</title></head>' +
  '<body><h1>We will be back soon</h1></body></html>\n';

/**
 * Acts out a fault. Resolves true when the request is dealt with (answered, dropped or left
 * hanging), false when it should now be answered normally (a delay that ran out).
 */
export async function actOutFault(
  fault: ActiveFault,
  req: IncomingMessage,
  res: ServerResponse,
  errorHttpStatus: number,
  closing: AbortSignal,
): Promise<boolean> {
  switch (fault.mode) {
    case 'delay':
      try {
        await wait(fault.delayMs, undefined, { signal: closing });
        return false;
      } catch {
        return true; // the sandbox is closing
      }
    case 'hang':
      return true; // never answer: close() or the client ends it
    case 'reset':
      req.socket.destroy();
      return true;
    case 'http-status':
      sendBody(res, fault.status, 'text/html; charset=utf-8', ERROR_PAGE(fault.status));
      return true;
    case 'non-json':
      sendBody(res, 200, 'text/html; charset=utf-8', MAINTENANCE_PAGE);
      return true;
    case 'error-code':
      sendJson(res, errorHttpStatus, errorEnvelope(fault.code));
      return true;
    case 'rate-limit':
      sendBody(res, 429, 'text/plain; charset=utf-8', 'Too Many Requests\n', {
        'Retry-After': String(fault.retryAfterSeconds),
      });
      return true;
  }
}
