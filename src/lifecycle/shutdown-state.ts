import { Injectable, OnModuleDestroy } from '@nestjs/common';

/** Where this process is in its shutdown; the probes and the closing answers read it. */
@Injectable()
export class ShutdownState implements OnModuleDestroy {
  /** A stop signal arrived: readiness fails so the gateway stops sending traffic here. */
  draining = false;
  /** The server no longer accepts connections: each answer closes its connection. */
  stoppedAccepting = false;
  /** The application is closing (Redis, the upstream pool): a request that still arrives is refused with a 503. */
  closing = false;

  onModuleDestroy(): void {
    // The first of Nest's shutdown hooks: nothing after it may serve a request.
    this.closing = true;
  }
}
