import { Inject } from '@nestjs/common';

export interface SessionSettings {
  idleTtlMs: number;
  maxAgeMs: number;
}

export const SESSION_SETTINGS = Symbol('SESSION_SETTINGS');
export const InjectSessionSettings = (): ParameterDecorator => Inject(SESSION_SETTINGS);
