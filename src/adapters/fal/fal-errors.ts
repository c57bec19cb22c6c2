import type { ProviderError, ProviderErrorKind } from '../provider-calls/index.js';
import { falErrorBodySchema } from './fal-wire.js';

// fal's infrastructure errors: the runner never got to the model.
const infrastructureKinds: Readonly<Record<string, ProviderErrorKind>> = {
  request_timeout: 'timeout',
  startup_timeout: 'timeout',
  runner_connection_timeout: 'timeout',
  runner_scheduling_failure: 'server',
  runner_disconnected: 'server',
};

/**
 * Refines a fal error response: a 422 whose `detail[]` says `content_policy_violation` is a
 * refusal, not a bad request; an `error_type` names infrastructure trouble.
 */
export function classifyFalError(
  _status: number,
  body: unknown,
): Partial<Pick<ProviderError, 'kind' | 'detail'>> | undefined {
  const parsed = falErrorBodySchema.safeParse(body);
  if (!parsed.success) return undefined;
  const { detail, error_type: errorType, message, status } = parsed.data;
  const text =
    typeof detail === 'string'
      ? detail
      : Array.isArray(detail)
        ? detail
            .map((item) =>
              [item.type, (item.loc ?? []).join('.'), item.msg].filter(Boolean).join(': '),
            )
            .join('; ')
        : (message ?? status);
  if (Array.isArray(detail) && detail.some((item) => item.type === 'content_policy_violation')) {
    return { kind: 'content_policy', ...(text ? { detail: text } : {}) };
  }
  const kind = errorType ? infrastructureKinds[errorType] : undefined;
  const described = [errorType, text].filter(Boolean).join(': ');
  return { ...(kind ? { kind } : {}), ...(described ? { detail: described } : {}) };
}

/** What the operator should do about a failed fal.ai call (for logs and admin alerts). */
export function falOperatorHint(error: ProviderError): string {
  switch (error.kind) {
    case 'auth':
      return 'fal.ai refused the key: check FALAI_API_TOKEN.';
    case 'quota':
      return 'The fal.ai account is out of credit: top up the balance.';
    case 'invalid_request':
      return `fal.ai rejected the input (${error.detail ?? 'no detail'}); check that the storage links are reachable from outside.`;
    case 'not_found':
      return 'fal.ai does not know the request or its result is gone: the job is resubmitted.';
    case 'timeout':
      return 'fal.ai did not finish in FALAI_TIMEOUT_MINUTES; the request was cancelled.';
    case 'unavailable':
      return 'fal.ai kept failing; calls are paused and the local renderer is used meanwhile.';
    default:
      return `fal.ai call failed (${error.kind}).`;
  }
}
