import { Global, Module } from '@nestjs/common';
import { ShutdownState } from './shutdown-state.js';

// Global: the one shutdown state that the HTTP steps, readiness and the signal handler share.
@Global()
@Module({ providers: [ShutdownState], exports: [ShutdownState] })
export class LifecycleModule {}
