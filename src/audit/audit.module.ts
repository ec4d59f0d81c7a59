import { DynamicModule, Module } from '@nestjs/common';
import type { Logger as PinoLogger } from 'pino';
import { AuditActor } from './audit-actor.js';
import { AUDIT_LOGGER, AuditLog } from './audit-log.js';

/** The audit trail of group writes, written through the application's logger. */
@Module({})
export class AuditModule {
  static forRoot(logger: PinoLogger): DynamicModule {
    return {
      module: AuditModule,
      // Configured once, by AppModule.forRoot; global so feature modules use it without configuring
      // it again (the forRoot pattern of Nest's own configured modules).
      global: true,
      providers: [{ provide: AUDIT_LOGGER, useValue: logger }, AuditActor, AuditLog],
      exports: [AuditLog],
    };
  }
}
