import { AppError } from '../../errors/app-error.js';
import type { FalClient } from '@fal-ai/client';
import type { z } from 'zod';
import type { Logger } from '../../logging/logger.js';
import { ProviderError, type ProviderPolicy } from '../provider-calls/index.js';
import { queueStatusSchema, submitResponseSchema, type QueueStatus } from './fal-wire.js';

export interface FalQueueSettings {
  readonly provider: string;
  readonly endpointId: string;
  readonly client: FalClient;
  readonly policy: ProviderPolicy;
  readonly log: Logger;
  /** The `stage` of the log lines ('video', 'edit'). */
  readonly stage: string;
  readonly pollIntervalMs: number;
  /** The whole wait, queue included; past it the request is cancelled. */
  readonly timeoutMs: number;
  /**
   * Whether an abort of the caller's signal should cancel the fal request too. By default it
   * does, except when the abort says the work is only interrupted (a worker stopping or losing
   * its lease): the stored request id will be resumed, and cancelling would waste what was paid.
   */
  readonly cancelOnAbort?: (reason: unknown) => boolean;
}

export interface FalJob<T> {
  readonly input: Record<string, unknown>;
  readonly output: z.ZodType<T>;
  readonly resumeRequestId?: string;
  readonly onSubmitted?: (requestId: string) => Promise<void> | void;
  readonly webhookUrl?: string;
  readonly signal?: AbortSignal;
}

export interface FalJobResult<T> {
  readonly requestId: string;
  readonly data: T;
  readonly resumed: boolean;
  readonly polls: number;
}

/**
 * Abort reasons that mean "someone will pick this up again" (the pipeline's WorkInterruptedError).
 */
export function isResumableInterruption(reason: unknown): boolean {
  return reason instanceof AppError && reason.code === 'WORK_INTERRUPTED';
}

/**
 * Submit (or resume) → poll status → fetch the result, each HTTP exchange under the provider
 * policy. The request id reaches `onSubmitted` before any waiting, so a crash after submit costs
 * a poll, not a second payment.
 */
export async function runFalJob<T>(
  settings: FalQueueSettings,
  job: FalJob<T>,
): Promise<FalJobResult<T>> {
  const { client, endpointId, policy, provider, log } = settings;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new Error('fal job deadline')), settings.timeoutMs);
  const signal = job.signal ? AbortSignal.any([job.signal, deadline.signal]) : deadline.signal;
  let requestId = job.resumeRequestId;
  let polls = 0;
  try {
    if (!requestId) {
      const submitted = await policy.execute(
        async () =>
          parse(
            provider,
            'submit',
            submitResponseSchema,
            await client.queue.submit(endpointId, {
              input: job.input as never,
              ...(job.webhookUrl ? { webhookUrl: job.webhookUrl } : {}),
              abortSignal: signal,
            }),
          ),
        signal,
      );
      requestId = submitted.request_id;
      log.info(
        {
          stage: settings.stage,
          provider,
          requestId,
          endpointId,
          queuePosition: submitted.queue_position,
        },
        'fal request submitted',
      );
      try {
        await job.onSubmitted?.(requestId);
      } catch (error) {
        // Nobody will ever collect a result whose id could not be stored.
        await cancel(settings, requestId, 'its id could not be stored');
        throw error;
      }
    } else {
      log.info({ stage: settings.stage, provider, requestId, endpointId }, 'resuming fal request');
    }
    const id = requestId;
    let last: QueueStatus | undefined;
    for (;;) {
      polls += 1;
      const status = await policy.execute(
        async () =>
          parse(
            provider,
            'status',
            queueStatusSchema,
            await client.queue.status(endpointId, {
              requestId: id,
              logs: true,
              abortSignal: signal,
            }),
          ),
        signal,
      );
      reportProgress(settings, id, last, status);
      last = status;
      if (status.status === 'COMPLETED') break;
      await sleep(settings.pollIntervalMs, signal);
    }
    const data = await policy.execute(async () => {
      const result = await client.queue.result(endpointId as never, {
        requestId: id,
        abortSignal: signal,
      });
      return parse(provider, 'result', job.output, result.data);
    }, signal);
    return { requestId: id, data, resumed: job.resumeRequestId !== undefined, polls };
  } catch (error) {
    if (job.signal?.aborted) {
      const reason: unknown = job.signal.reason;
      if (
        requestId &&
        (settings.cancelOnAbort ?? ((r: unknown) => !isResumableInterruption(r)))(reason)
      )
        await cancel(settings, requestId, 'the caller cancelled');
      throw new ProviderError('cancelled', { provider, kind: 'cancelled', cause: reason });
    }
    if (deadline.signal.aborted) {
      if (requestId) await cancel(settings, requestId, 'the deadline passed');
      throw new ProviderError(`no result within ${Math.round(settings.timeoutMs / 1000)} s`, {
        provider,
        kind: 'timeout',
        cause: error,
      });
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

function reportProgress(
  settings: FalQueueSettings,
  requestId: string,
  previous: QueueStatus | undefined,
  status: QueueStatus,
): void {
  const position = status.status === 'IN_QUEUE' ? status.queue_position : undefined;
  const previousPosition = previous?.status === 'IN_QUEUE' ? previous.queue_position : undefined;
  if (status.status !== previous?.status || position !== previousPosition) {
    settings.log.info(
      {
        stage: settings.stage,
        provider: settings.provider,
        requestId,
        status: status.status,
        queuePosition: position ?? undefined,
      },
      'fal request progress',
    );
  }
  if (status.status !== 'IN_QUEUE' && status.logs?.length) {
    settings.log.debug(
      {
        stage: settings.stage,
        provider: settings.provider,
        requestId,
        logs: status.logs.slice(-5).map((entry) => entry.message),
      },
      'fal request logs',
    );
  }
}

async function cancel(settings: FalQueueSettings, requestId: string, why: string): Promise<void> {
  try {
    // Not under the caller's signal (it may be the reason for cancelling) and never retried.
    await settings.client.queue.cancel(settings.endpointId, {
      requestId,
      abortSignal: AbortSignal.timeout(10_000),
    });
    settings.log.warn(
      { stage: settings.stage, provider: settings.provider, requestId, why },
      'fal request cancelled',
    );
  } catch (error) {
    settings.log.warn(
      { stage: settings.stage, provider: settings.provider, requestId, why, err: error },
      'fal request could not be cancelled',
    );
  }
}

function parse<T>(provider: string, what: string, schema: z.ZodType<T>, value: unknown): T {
  const checked = schema.safeParse(value);
  if (checked.success) return checked.data;
  throw new ProviderError(`unexpected ${what} body`, {
    provider,
    kind: 'malformed',
    detail: `${checked.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')} in ${JSON.stringify(value)?.slice(0, 300)}`,
    cause: checked.error,
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
