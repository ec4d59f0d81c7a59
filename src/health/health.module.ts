import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller.js';
import { LifecycleModule } from '../lifecycle/lifecycle.module.js';

@Module({ imports: [TerminusModule.forRoot({ logger: false }), LifecycleModule], controllers: [HealthController] })
export class HealthModule {}
