import type { LoggerService } from '@nestjs/common';
import type { Level, Logger as PinoLogger } from 'pino';

/**
 * Nest's logger calls, written as pino lines: `logger.warn({ groupId }, 'text')` from a
 * `new Logger('Groups')` becomes `{"level":40,"context":"Groups","groupId":…,"msg":"text"}`.
 * Nest appends the logger's context as the last argument; an object first is merged into the line.
 */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly pino: PinoLogger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = {};
    const rest = params.slice();
    if (rest.length > 0 && typeof rest[rest.length - 1] === 'string') fields.context = rest.pop();

    if (message instanceof Error) {
      fields.err = message;
      this.pino[level](fields, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.pino[level]({ ...fields, ...message }, ...(rest as [string?]));
    } else if (level === 'error' && rest.length === 1 && typeof rest[0] === 'string' && rest[0].includes('\n')) {
      // Nest's own error(message, stack, context): keep the stack as an error.
      const error = new Error(String(message));
      error.stack = rest[0];
      fields.err = error;
      this.pino.error(fields, error.message);
    } else {
      this.pino[level](fields, String(message), ...(rest as []));
    }
  }
}
