import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller.js';
import { DeepcallModule } from '../deepcall/deepcall.module.js';
import { LifecycleModule } from '../lifecycle/lifecycle.module.js';
import { StateModule } from '../state/state.module.js';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), LifecycleModule, DeepcallModule, StateModule],
  controllers: [HealthController],
})
export class HealthModule {}
