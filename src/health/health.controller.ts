import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import {
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorFunction,
  HealthIndicatorService,
} from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { UpstreamResilience } from '../deepcall/upstream-resilience.js';
import { ShutdownState } from '../lifecycle/shutdown-state.js';
import { StateStore } from '../state/state-store.js';

/**
 * Probes for the gateway and the orchestrator, and a dependency report for people. Neither probe
 * looks at a dependency every replica shares (Redis, DeepCall): an outage of one would fail every
 * replica's probe at once and take the whole service out of the gateway, Basic callers included.
 */
@ApiExcludeController()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly store: StateStore,
    private readonly resilience: UpstreamResilience,
    private readonly shutdown: ShutdownState,
  ) {}

  /** The process is up. Checks nothing external: a Redis blip must not restart pods. */
  @Get('live')
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /** This process takes traffic: started and not draining. */
  @Get('ready')
  ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    return this.answer(reply, [() => this.checkDraining()]);
  }

  /** The shared dependencies as this replica sees them, for dashboards and people; never for a gateway. */
  @Get('dependencies')
  dependencies(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    return this.answer(reply, [() => this.checkStore(), () => this.checkCircuit()]);
  }

  private async answer(reply: FastifyReply, checks: HealthIndicatorFunction[]): Promise<HealthCheckResult> {
    try {
      return await this.health.check(checks);
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

  private checkCircuit() {
    const check = this.indicator.check('deepcall');
    const circuit = this.resilience.circuitState;
    return circuit === 'open' ? check.down({ circuit }) : check.up({ circuit });
  }
}
