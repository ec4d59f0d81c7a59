import { Global, Module } from '@nestjs/common';
import { AuditActor } from './audit-actor.js';
import { AuditLog } from './audit-log.js';

/** The audit trail of group writes. */
@Global()
@Module({ providers: [AuditActor, AuditLog], exports: [AuditLog] })
export class AuditModule {}
