import { HttpService } from '@nestjs/axios';
import type { Span } from '@opentelemetry/api';
import { Injectable } from '@nestjs/common';
import { AxiosError } from 'axios';
import type { DeepcallOperation } from './deepcall-codes.js';
import { readEnvelope, SuccessEnvelope } from './deepcall-envelope.js';
import { DeepcallSettings } from './deepcall.types.js';
import { leanAxiosDefaults } from './lean-axios-defaults.js';
import { ANSWER_TOO_LARGE, CallHeaders } from './undici-axios-adapter.js';
import { UpstreamResilience } from './upstream-resilience.js';
import { isUnreachableTransport, UpstreamError } from './upstream.error.js';
import { callTimeoutMs, currentDeadline } from '../core/deadline/request-deadline.js';
import { currentRequest } from '../core/request/request-context.js';
import { UpstreamMetrics } from '../metrics/upstream.metrics.js';
import {
  endDeepcallSpan,
  recordCircuitRefusal,
  recordDeepcallStatus,
  startDeepcallSpan,
} from '../telemetry/deepcall-span.js';

/**
 * The one door to DeepCall: POSTs a JSON body to a path, enforces the deadline, and turns every
 * outcome into a success envelope or an UpstreamError. Nothing axios-shaped leaves this class.
 */
@Injectable()
export class DeepcallClient {
  private readonly baseUrl: URL;

  constructor(
    private readonly http: HttpService,
    private readonly settings: DeepcallSettings,
    private readonly resilience: UpstreamResilience,
    private readonly metrics: UpstreamMetrics,
  ) {
    leanAxiosDefaults(http.axiosRef, { 'content-type': 'application/json', accept: 'application/json' });
    this.baseUrl = new URL(settings.baseUrl);
  }

  async post(operation: DeepcallOperation, path: string, body: Record<string, unknown>): Promise<SuccessEnvelope> {
    const deadlineAt = currentDeadline(this.settings.requestDeadlineMs);
    // Checked before the breaker: a call that never ran says nothing of DeepCall, and inside a
    // half-open circuit's trial cockatiel would count it as a success and close the circuit.
    // (A retry needs a whole call timeout left, so only the first attempt can meet this.)
    if (callTimeoutMs(deadlineAt, this.settings.timeoutMs) < 1) {
      this.record(operation, 'deadline', 0);
      throw new UpstreamError('deadline', operation, { durationMs: 0 });
    }
    let attempts = 0;
    try {
      return await this.resilience.execute(
        operation,
        () => this.attempt(operation, path, body, deadlineAt, (attempts += 1)),
        deadlineAt,
      );
    } catch (error) {
      // Refused by the open circuit: no attempt ran, so record the refusal here.
      if (error instanceof UpstreamError && error.failure === 'circuit-open') {
        this.record(operation, 'circuit-open', 0);
        recordCircuitRefusal(operation);
      }
      throw error;
    }
  }

  /**
   * One HTTP exchange under the smaller of its own timeout and what is left of the request's
   * deadline, recorded in metrics, the request's trace and a client span of its own.
   */
  private async attempt(
    operation: DeepcallOperation,
    path: string,
    body: Record<string, unknown>,
    deadlineAt: number,
    attempt: number,
  ): Promise<SuccessEnvelope> {
    const started = performance.now();
    const timeoutMs = callTimeoutMs(deadlineAt, this.settings.timeoutMs, started);
    const requestId = currentRequest()?.requestId;
    const headers: Record<string, string> = requestId === undefined ? {} : { 'x-request-id': requestId };
    const span = startDeepcallSpan(operation, this.baseUrl, path, attempt, headers);
    let outcome = 'success';
    let upstreamCode: number | undefined;
    try {
      return await this.exchange(operation, path, body, new CallHeaders(headers), started, timeoutMs, (status) =>
        recordDeepcallStatus(span, status),
      );
    } catch (error) {
      upstreamCode = error instanceof UpstreamError ? error.upstreamCode : undefined;
      outcome =
        error instanceof UpstreamError
          ? upstreamCode !== undefined
            ? `code-${upstreamCode}`
            : error.failure
          : 'error';
      throw error;
    } finally {
      this.record(operation, outcome, performance.now() - started, span);
      endDeepcallSpan(span, outcome, upstreamCode);
    }
  }

  private record(operation: DeepcallOperation, outcome: string, durationMs: number, span?: Span): void {
    this.metrics.record(operation, outcome, durationMs, span);
    currentRequest()?.upstream.push({ operation, durationMs: Math.round(durationMs * 10) / 10, outcome });
  }

  private async exchange(
    operation: DeepcallOperation,
    path: string,
    body: Record<string, unknown>,
    callHeaders: CallHeaders,
    started: number,
    timeoutMs: number,
    onStatus: (status: number) => void,
  ): Promise<SuccessEnvelope> {
    try {
      // axiosRef, not HttpService.post: the Observable wrapper costs a cancellation error per call;
      // and request(), not post(), which merges its arguments into one config first (bench/README.md).
      // The adapter makes `timeout` a total deadline, the wait for a free connection included.
      const response = await this.http.axiosRef.request<string>({
        method: 'post',
        url: path,
        data: JSON.stringify(body),
        callHeaders,
        timeout: timeoutMs,
      });
      onStatus(response.status);
      const retryAfter = response.headers['retry-after'] as string | undefined;
      return readEnvelope(operation, response.status, response.data, retryAfter);
    } catch (error) {
      const failure = this.toUpstreamError(
        error,
        operation,
        performance.now() - started,
        timeoutMs < this.settings.timeoutMs,
      );
      if (currentRequest()?.abandoned) failure.details.clientAbandoned = true;
      throw failure;
    }
  }

  private toUpstreamError(
    error: unknown,
    operation: DeepcallOperation,
    elapsed: number,
    cutShort: boolean,
  ): UpstreamError {
    const durationMs = Math.round(elapsed);
    if (error instanceof UpstreamError) {
      return new UpstreamError(error.failure, error.operation, { ...error.details, durationMs });
    }
    if ((error as AxiosError | undefined)?.code === AxiosError.ECONNABORTED) {
      return new UpstreamError('timeout', operation, { durationMs, ...(cutShort && { cutShortByDeadline: true }) });
    }
    const code = (error as AxiosError | undefined)?.code ?? (error as { cause?: { code?: string } })?.cause?.code;
    // Reduced to safe fields here: an AxiosError carries the request config, headers and body.
    if (code && isUnreachableTransport(code))
      return new UpstreamError('unreachable', operation, { transportCode: code, durationMs });
    if (code === 'ERR_BAD_RESPONSE' || code === ANSWER_TOO_LARGE) {
      return new UpstreamError('malformed', operation, { transportCode: code, durationMs });
    }
    return new UpstreamError('unreachable', operation, {
      transportCode: typeof code === 'string' ? code : 'UNKNOWN',
      durationMs,
    });
  }
}
