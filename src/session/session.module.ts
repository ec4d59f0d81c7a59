import { DynamicModule, Module } from '@nestjs/common';
import { AccountSessions } from './account-sessions.js';
import { AuthorizationGuard } from './authorization.guard.js';
import { LoginCoordinator } from './login-coordinator.js';
import { SessionCipher } from './session-cipher.js';
import { RedisKeys } from '../state/redis-keys.js';
import { SessionRecordRepository } from './session-record.repository.js';
import { SessionSecrets } from './session-secrets.js';
import { SESSION_SETTINGS, SessionSettings } from './session-settings.js';
import { SessionController } from './session.controller.js';
import { SessionService } from './session.service.js';
import { StateStore } from '../state/state-store.js';
import { StoreGateMetrics } from '../state/store-gate.metrics.js';
import { UpstreamLogin } from './upstream-login.js';
import { Clock } from '../core/clock.js';
import { MetricsModule } from '../metrics/metrics.module.js';

export interface SessionModuleOptions extends Omit<SessionSettings, 'loginLockMs'> {
  /** The upstream deadline: a login holds the cross-process lock at most about this long. */
  upstreamTimeoutMs: number;
  secret: string;
  /** SESSION_SECRET_PREVIOUS: what was written under it is still read. */
  previousSecret: string | undefined;
  keyPrefix: string;
  store: StateStore;
}

@Module({})
export class SessionModule {
  static forRoot(options: SessionModuleOptions): DynamicModule {
    const secrets = new SessionSecrets(options.secret, options.previousSecret);
    const settings: SessionSettings = {
      idleTtlMs: options.idleTtlMs,
      maxAgeMs: options.maxAgeMs,
      maxPerUser: options.maxPerUser,
      requestDeadlineMs: options.requestDeadlineMs,
      loginLockMs: options.upstreamTimeoutMs + 1000,
    };
    return {
      module: SessionModule,
      // Configured once, by AppModule.forRoot; global so feature modules use it without configuring
      // it again (the forRoot pattern of Nest's own configured modules).
      global: true,
      imports: [MetricsModule],
      controllers: [SessionController],
      providers: [
        { provide: SESSION_SETTINGS, useValue: settings },
        { provide: StateStore, useValue: options.store },
        { provide: RedisKeys, useValue: new RedisKeys(options.keyPrefix, secrets) },
        { provide: SessionCipher, useValue: new SessionCipher(secrets) },
        { provide: SessionSecrets, useValue: secrets },
        Clock,
        SessionRecordRepository,
        AccountSessions,
        LoginCoordinator,
        UpstreamLogin,
        SessionService,
        AuthorizationGuard,
        StoreGateMetrics,
      ],
      exports: [StateStore, RedisKeys, SessionSecrets, SessionService, AuthorizationGuard],
    };
  }
}
