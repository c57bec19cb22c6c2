import type { ProviderError, ProviderErrorKind } from '../provider-calls/index.js';
import { errorBodySchema } from './elevenlabs-wire.js';

const kindByCode: Readonly<Record<string, ProviderErrorKind>> = {
  invalid_api_key: 'auth',
  missing_api_key: 'auth',
  detected_unusual_activity: 'auth',
  quota_exceeded: 'quota',
  payment_required: 'quota',
  voice_not_found: 'not_found',
  max_character_limit_exceeded: 'invalid_request',
  text_too_long: 'invalid_request',
  invalid_parameters: 'invalid_request',
  too_many_concurrent_requests: 'rate_limited',
  concurrent_limit_exceeded: 'rate_limited',
  system_busy: 'rate_limited',
  rate_limit_exceeded: 'rate_limited',
};

/**
 * ElevenLabs puts the reason in the body, not the status: a 401 is a bad key or spent credits,
 * a 400 may be a missing voice. The code decides where it is known; the status otherwise.
 */
export function classifyElevenLabsError(
  _status: number,
  body: unknown,
): Partial<Pick<ProviderError, 'kind' | 'detail'>> | undefined {
  const parsed = errorBodySchema.safeParse(body);
  if (!parsed.success) return undefined;
  const { detail } = parsed.data;
  if (typeof detail === 'string') return { detail };
  if (Array.isArray(detail)) {
    return {
      kind: 'invalid_request',
      detail: detail
        .map((item) => `${(item.loc ?? []).join('.')}: ${item.msg ?? item.type ?? ''}`)
        .join('; '),
    };
  }
  const code = detail.code ?? detail.status;
  const kind = code ? kindByCode[code] : undefined;
  return { ...(kind ? { kind } : {}), detail: [code, detail.message].filter(Boolean).join(': ') };
}

/** What the operator should do about a failed ElevenLabs call (for logs and admin alerts). */
export function elevenLabsOperatorHint(error: ProviderError): string {
  switch (error.kind) {
    case 'auth':
      return 'ElevenLabs refused the API key: check ELEVEN_API_KEY.';
    case 'quota':
      return 'The ElevenLabs plan is out of characters: top up or upgrade the plan.';
    case 'rate_limited':
      return 'ElevenLabs is limiting concurrent requests: lower ELEVEN_CONCURRENCY to the plan limit.';
    case 'not_found':
      return 'The voice no longer exists in the ElevenLabs account: re-sync the voice catalog.';
    case 'invalid_request':
      return `ElevenLabs rejected the request (${error.detail ?? 'no detail'}).`;
    case 'unavailable':
      return 'ElevenLabs kept failing; calls are paused and the local voice is used meanwhile.';
    default:
      return `ElevenLabs call failed (${error.kind}).`;
  }
}
