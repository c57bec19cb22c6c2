import type { Logger } from 'pino';
import type { ApiCallRecord } from './api-call-log.js';
import type { ApiParams } from './api-params.js';
import { BotApiError, notFound } from './bot-api-error.js';
import type { EmulatorState } from './emulator-state.js';
import { faultError } from './fault-injector.js';
import { DescribedResult, type MethodRegistry } from './methods/method-registry.js';

export type Envelope =
  { ok: true; result: unknown; description?: string } | ReturnType<BotApiError['toEnvelope']>;

export type DispatchOutcome =
  | { readonly kind: 'reply'; readonly status: number; readonly body: Envelope }
  /** `performed`: the method ran before the answer was lost (the `lose-answer` fault). */
  | { readonly kind: 'drop-connection'; readonly performed?: boolean };

/**
 * Runs one Bot API call — fault injection first, then the method — and always produces
 * Telegram's envelope, whatever went wrong. Shared by HTTP requests and webhook replies.
 */
export async function dispatch(
  state: EmulatorState,
  methods: MethodRegistry,
  methodName: string,
  params: ApiParams,
  signal: AbortSignal,
  logger?: Logger,
  via: ApiCallRecord['via'] = 'request',
): Promise<DispatchOutcome> {
  const started = state.now();
  const method = methods.find(methodName);
  const name = method?.name ?? methodName;
  let outcome: DispatchOutcome;
  try {
    if (method === undefined) throw notFound();
    const fault = state.faults.take(method.name);
    if (fault?.kind === 'drop-connection') {
      outcome = { kind: 'drop-connection' };
    } else if (fault?.kind === 'lose-answer') {
      await method.handler({ params, state, signal });
      outcome = { kind: 'drop-connection', performed: true };
    } else {
      if (fault !== undefined) throw faultError(fault);
      const value = await method.handler({ params, state, signal });
      const body: Envelope =
        value instanceof DescribedResult
          ? { ok: true, result: value.result, description: value.description }
          : { ok: true, result: value };
      outcome = { kind: 'reply', status: 200, body };
    }
  } catch (error) {
    if (error instanceof BotApiError) {
      outcome = { kind: 'reply', status: error.errorCode, body: error.toEnvelope() };
    } else {
      logger?.error({ err: error, method: name }, 'telegram emulator: method crashed');
      const message = error instanceof Error ? error.message : String(error);
      outcome = {
        kind: 'reply',
        status: 500,
        body: new BotApiError(500, `Internal Server Error: ${message}`).toEnvelope(),
      };
    }
  }
  state.calls.add({
    method: name,
    params: params.summary(),
    at: started,
    durationMs: state.now() - started,
    ok: outcome.kind === 'reply' && outcome.body.ok,
    via,
    ...(outcome.kind === 'reply' && !outcome.body.ok
      ? { errorCode: outcome.body.error_code, description: outcome.body.description }
      : outcome.kind === 'drop-connection'
        ? {
            description: outcome.performed
              ? 'performed, then the answer was lost by fault injection'
              : 'connection dropped by fault injection',
          }
        : {}),
  });
  return outcome;
}
