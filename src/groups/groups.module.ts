import { Module } from '@nestjs/common';
import { GroupsController } from './groups.controller.js';
import { GroupsService } from './groups.service.js';
import { ReadCoalescer } from './read-coalescer.js';
import { IdempotencyService } from '../idempotency/idempotency.service.js';

// Uses, from the modules AppModule configures once (global, as Nest's forRoot modules are):
// DeepcallModule (DeepcallGroupsApi, settings), SessionModule (SessionService, the guard,
// StateStore and RedisKeys for idempotency records), FairUseModule (UserConcurrency) and
// AuditModule (AuditLog).
@Module({ controllers: [GroupsController], providers: [GroupsService, IdempotencyService, ReadCoalescer] })
export class GroupsModule {}
