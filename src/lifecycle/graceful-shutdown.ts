import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { setTimeout as delay } from 'node:timers/promises';
import { ShutdownState } from './shutdown-state.js';

export interface ShutdownSettings {
  /** After SIGTERM, how long readiness fails before the server stops accepting. */
  drainDelayMs: number;
  /** How long in-flight requests may take to finish before the process exits anyway. */
  graceMs: number;
}

const logger = new Logger('Shutdown');

/**
 * SIGTERM: readiness fails at once, the gateway gets `drainDelayMs` to notice, then the server
 * stops accepting, in-flight requests finish, and shutdown hooks close Redis, the upstream
 * agents and the sandbox; exit 0. SIGINT (a developer's Ctrl-C) skips the drain delay.
 * Nest's own signal handling is not used: it re-raises the signal, which PID 1 ignores.
 */
export function exitGracefullyOnSignals(app: NestFastifyApplication, settings: ShutdownSettings, terminate: (code: number) => void = (code) => process.exit(code)): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    app.get(ShutdownState).draining = true;
    logger.log({ signal, ...settings }, 'Stop signal received: draining');
    if (signal === 'SIGTERM') await delay(settings.drainDelayMs);
    const overdue = setTimeout(() => {
      logger.error('Grace period over with requests still in flight: exiting');
      terminate(1);
    }, settings.graceMs);
    overdue.unref();
    await app.close();
    clearTimeout(overdue);
    logger.log('Stopped');
    terminate(0);
  };
  process.once('SIGTERM', (signal) => void stop(signal));
  process.once('SIGINT', (signal) => void stop(signal));
}
