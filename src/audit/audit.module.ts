import { Module } from '@nestjs/common';
import { AuditActor } from './audit-actor.js';
import { AuditLog } from './audit-log.js';
import { StateModule } from '../state/state.module.js';

/** The audit trail of group writes, written through the application's logger. */
@Module({ imports: [StateModule], providers: [AuditActor, AuditLog], exports: [AuditLog] })
export class AuditModule {}
