import type { PresentedCredentials } from './authorization-header.js';
import type { SessionRecord } from './session-record.js';
import { UpstreamCredentials } from '../deepcall/deepcall.types.js';

/** Who is calling, once the session is resolved; what group calls authenticate upstream with. */
export interface AuthenticatedCaller {
  scheme: 'bearer' | 'basic';
  userId: string;
  credentials: UpstreamCredentials;
  /** The store entry behind this caller and its record; undefined when served without the store. */
  storeKey: string | undefined;
  record: SessionRecord | undefined;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by AuthorizationGuard: the credentials as presented, checked for form only. */
    presented?: PresentedCredentials;
  }
}
