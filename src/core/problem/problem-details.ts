import { FieldError } from './problem.error.js';

/** RFC 9457 body, with this service's extension members. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  requestId: string;
  traceId: string;
  errors?: FieldError[];
  upstreamCode?: number;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
