import { Module } from '@nestjs/common';
import { ShutdownState } from './shutdown-state.js';

// The one shutdown state that the HTTP steps, readiness and the signal handler share; imported
// where it is read (a static module: one instance for all importers).
@Module({ providers: [ShutdownState], exports: [ShutdownState] })
export class LifecycleModule {}
