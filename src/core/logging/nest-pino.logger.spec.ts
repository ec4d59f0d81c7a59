import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { NestPinoLogger } from './nest-pino.logger.js';
import { createRootLogger } from './root-logger.js';

function capture(level: 'debug' | 'warn' = 'debug') {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  // A synchronous destination stream: every call below has written its line when it returns.
  return { logger: new NestPinoLogger(createRootLogger(level, destination)), lines };
}

describe('NestPinoLogger', () => {
  it('writes a message with the context Nest appends', () => {
    const { logger, lines } = capture();
    logger.log('listening on 3000', 'Startup');
    expect(lines).toEqual([expect.objectContaining({ level: 30, context: 'Startup', msg: 'listening on 3000' })]);
  });

  it('merges an object first into the line, with its message', () => {
    const { logger, lines } = capture();
    logger.warn({ groupId: 28, requestId: 'r-1' }, 'read back failed', 'GroupsService');
    expect(lines).toEqual([
      expect.objectContaining({
        level: 40,
        context: 'GroupsService',
        groupId: 28,
        requestId: 'r-1',
        msg: 'read back failed',
      }),
    ]);
  });

  it("keeps the stack of Nest's own error(message, stack, context)", () => {
    const { logger, lines } = capture();
    logger.error('boom', 'Error: boom\n    at somewhere (file.js:1:1)', 'ExceptionHandler');
    expect(lines).toEqual([
      expect.objectContaining({
        level: 50,
        context: 'ExceptionHandler',
        msg: 'boom',
        err: expect.objectContaining({ message: 'boom', stack: expect.stringContaining('at somewhere') }),
      }),
    ]);
  });

  it('writes an Error with its message and stack', () => {
    const { logger, lines } = capture();
    logger.error(new Error('bad thing'), 'Problem');
    expect(lines[0]).toMatchObject({
      level: 50,
      context: 'Problem',
      msg: 'bad thing',
      err: { message: 'bad thing', stack: expect.stringContaining('Error: bad thing') },
    });
  });

  it('maps verbose, debug and fatal to pino levels and drops what the level excludes', () => {
    const { logger, lines } = capture('warn');
    logger.verbose('v', 'Ctx');
    logger.debug('d', 'Ctx');
    logger.log('i', 'Ctx');
    logger.fatal('f', 'Ctx');
    expect(lines.map((line) => [line.level, line.msg])).toEqual([[60, 'f']]);
    const verbose = capture('debug');
    verbose.logger.debug('d', 'Ctx');
    expect(verbose.lines.map((line) => line.level)).toEqual([20]);
  });

  it('redacts credentials in logged objects', () => {
    const { logger, lines } = capture();
    logger.log({ token: 'T0KEN', nested: { ssid: 'SS1D' } }, 'secrets', 'Ctx');
    expect(JSON.stringify(lines)).not.toMatch(/T0KEN|SS1D/);
  });
});
