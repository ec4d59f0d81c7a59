import { ApiProperty } from '@nestjs/swagger';
import type { ProblemDetails } from './problem-details.js';
import type { FieldError } from './problem.error.js';

export class FieldErrorDto implements FieldError {
  /**
   * The field at fault (dotted path for nested fields).
   * @example "name"
   */
  field: string;

  /**
   * What is wrong with it.
   * @example "name must be 1 to 100 characters after trimming"
   */
  message: string;
}

/** An RFC 9457 problem: every error answer of this service has this shape (ProblemDetails). */
export class ProblemDto implements ProblemDetails {
  /**
   * Stable identifier of the kind of problem: branch on this (or on `status`).
   * @example "tag:groups-bff,2026:problem:validation-failed"
   */
  type: string;

  /**
   * Short summary of the kind of problem; the same for every occurrence.
   * @example "Request validation failed"
   */
  title: string;

  /**
   * The HTTP status of this answer.
   * @example 400
   */
  @ApiProperty({ type: 'integer' })
  status: number;

  /**
   * What went wrong this time, for a person to read.
   * @example "The request has 1 invalid field."
   */
  detail: string;

  /**
   * The request path the problem occurred on.
   * @example "/v1/groups"
   */
  instance: string;

  /**
   * The request id (also in the X-Request-Id header): quote it when reporting a problem.
   * @example "5f0c6a52-3c2e-4b8e-9a57-2b1f0a7f9c11"
   */
  requestId: string;

  /**
   * The W3C trace id of the request (also in the traceresponse header): find its trace with it.
   * @example "4bf92f3577b34da6a3ce929d0e0e4736"
   */
  @ApiProperty({ pattern: '^[0-9a-f]{32}$' })
  traceId: string;

  /** Present on validation problems: one entry per invalid field. */
  errors?: FieldErrorDto[];

  /**
   * Present when DeepCall caused the problem: the error code it sent.
   * @example 1503
   */
  @ApiProperty({ type: 'integer', required: false })
  upstreamCode?: number;
}
