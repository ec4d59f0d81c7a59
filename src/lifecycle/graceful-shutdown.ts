import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { constants } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { closeConnections } from './close-connections.js';
import { ShutdownState } from './shutdown-state.js';

export interface ShutdownSettings {
  /** After SIGTERM, how long readiness fails before the server stops accepting. */
  drainDelayMs: number;
  /** How long in-flight requests may take to finish before the process exits anyway. */
  graceMs: number;
}

/**
 * After the server stops accepting, how long requests already on their way on open connections get
 * to be read and answered before the idle connections are closed. A gateway that checks readiness
 * sends nothing by then; one that does not (nginx OSS) keeps sending on its idle connections until
 * each is closed, and every one it uses within this time is answered and closed cleanly.
 */
export const SETTLE_MS = 1000;

const logger = new Logger('Shutdown');

/**
 * SIGTERM: readiness fails at once, the gateway gets `drainDelayMs` to notice, then the server
 * stops accepting, answers what arrived and closes its connections, and shutdown hooks close
 * Redis, the upstream agents and the sandbox; exit 0. SIGINT (a developer's Ctrl-C) skips the
 * drain delay. A second SIGTERM or SIGINT during all this ends it at once, as a second Ctrl-C
 * does, with the shell's code for that signal (128 + its number): what was in flight is cut.
 * Nest's own signal handling is not used: it re-raises the signal, which PID 1 ignores.
 */
export function exitGracefullyOnSignals(
  app: NestFastifyApplication,
  settings: ShutdownSettings,
  terminate: (code: number) => void = process.exit.bind(process),
): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'Second stop signal received: exiting now');
      terminate(128 + constants.signals[signal]);
      return;
    }
    stopping = true;
    const state = app.get(ShutdownState);
    const started = performance.now();
    state.draining = true;
    logger.log({ signal, ...settings }, 'Stop signal received: draining');
    if (signal === 'SIGTERM') await delay(settings.drainDelayMs);
    const overdue = setTimeout(() => {
      logger.error('Grace period over with requests still in flight: exiting');
      terminate(1);
    }, settings.graceMs);
    overdue.unref();
    state.stoppedAccepting = true;
    try {
      await closeConnections(app.getHttpServer(), SETTLE_MS);
      logger.log({ sinceSignalMs: Math.round(performance.now() - started) }, 'Connections closed');
      await app.close();
    } catch (error) {
      // A close that failed must still end the process, and say so in its exit code.
      logger.error({ err: error }, 'Shutdown failed: exiting');
      terminate(1);
      return;
    } finally {
      clearTimeout(overdue);
    }
    logger.log({ sinceSignalMs: Math.round(performance.now() - started) }, 'Stopped');
    terminate(0);
  };
  process.on('SIGTERM', (signal) => void stop(signal));
  process.on('SIGINT', (signal) => void stop(signal));
}
