import { Module } from '@nestjs/common';
import { GroupsController } from './groups.controller.js';
import { GroupsService } from './groups.service.js';
import { IdempotencyService } from '../idempotency/idempotency.service.js';

@Module({ controllers: [GroupsController], providers: [GroupsService, IdempotencyService] })
export class GroupsModule {}
