import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheckResult, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { ShutdownState } from '../lifecycle/shutdown-state.js';
import { StateStore } from '../state/state-store.js';

/** Probes for the gateway and the orchestrator. DeepCall never gates either. */
@ApiExcludeController()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly store: StateStore,
    private readonly shutdown: ShutdownState,
  ) {}

  /** The process is up. Checks nothing external: a Redis blip must not restart pods. */
  @Get('live')
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /** Ready to serve: not shutting down, and the session store answers (the in-process one always does). */
  @Get('ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    try {
      return await this.health.check([() => this.checkDraining(), () => this.checkStore()]);
    } catch (error) {
      // Terminus's own 503 body is the probe's answer; it is not a problem+json error.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      reply.status(503);
      return error.getResponse() as HealthCheckResult;
    }
  }

  private checkDraining() {
    const check = this.indicator.check('shutdown');
    return this.shutdown.draining ? check.down({ draining: true }) : check.up({ draining: false });
  }

  private async checkStore() {
    const check = this.indicator.check('sessionStore');
    try {
      await this.store.ping();
      return check.up({ kind: this.store.kind });
    } catch {
      return check.down({ kind: this.store.kind });
    }
  }
}
