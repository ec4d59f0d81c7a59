import { Module } from '@nestjs/common';
import { GroupsController } from './groups.controller.js';
import { GroupsService } from './groups.service.js';
import { ReadCoalescer } from './read-coalescer.js';
import { IdempotencyService } from '../idempotency/idempotency.service.js';

@Module({ controllers: [GroupsController], providers: [GroupsService, IdempotencyService, ReadCoalescer] })
export class GroupsModule {}
