import { Module } from '@nestjs/common';
import { GroupsController } from './groups.controller.js';
import { GroupsService } from './groups.service.js';
import { ReadCoalescer } from './read-coalescer.js';
import { AuditModule } from '../audit/audit.module.js';
import { DeepcallModule } from '../deepcall/deepcall.module.js';
import { FairUseModule } from '../fair-use/fair-use.module.js';
import { IdempotencyService } from '../idempotency/idempotency.service.js';
import { SessionModule } from '../session/session.module.js';
import { StateModule } from '../state/state.module.js';

// StateModule: the idempotency records live in the shared store.
@Module({
  imports: [DeepcallModule, SessionModule, FairUseModule, AuditModule, StateModule],
  controllers: [GroupsController],
  providers: [GroupsService, IdempotencyService, ReadCoalescer],
})
export class GroupsModule {}
