import { Module } from '@nestjs/common';
import { AccountSessions } from './account-sessions.js';
import { AuthorizationGuard } from './authorization.guard.js';
import { LoginCoordinator } from './login-coordinator.js';
import { SessionCipher } from './session-cipher.js';
import { SessionRecordRepository } from './session-record.repository.js';
import { SessionController } from './session.controller.js';
import { SessionService } from './session.service.js';
import { UpstreamLogin } from './upstream-login.js';
import { DeepcallModule } from '../deepcall/deepcall.module.js';
import { FairUseModule } from '../fair-use/fair-use.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { StateModule } from '../state/state.module.js';

/** Sessions: issued, resolved, revoked, and the upstream login behind them (throttled by fair use). */
@Module({
  imports: [StateModule, DeepcallModule, FairUseModule, MetricsModule],
  controllers: [SessionController],
  providers: [
    SessionCipher,
    SessionRecordRepository,
    AccountSessions,
    LoginCoordinator,
    UpstreamLogin,
    SessionService,
    AuthorizationGuard,
  ],
  exports: [SessionService, AuthorizationGuard],
})
export class SessionModule {}
