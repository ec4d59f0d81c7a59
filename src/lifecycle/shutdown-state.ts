import { Injectable } from '@nestjs/common';

/** Set once a stop signal arrives: readiness then fails so the gateway stops sending traffic. */
@Injectable()
export class ShutdownState {
  draining = false;
}
