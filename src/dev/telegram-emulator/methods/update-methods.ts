import type { Update } from 'grammy/types';
import { badRequest, conflict } from '../bot-api-error.js';
import { normalizeAllowedUpdates } from '../update-queue.js';
import { DescribedResult, type MethodCall, type MethodTable } from './method-registry.js';

/** Telegram lets a long poll hang for at most 50 s. */
const MAX_POLL_SECONDS = 50;

async function getUpdates({ params, state, signal }: MethodCall): Promise<Update[]> {
  if (state.webhook.current() !== undefined) {
    throw conflict(
      "can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
    );
  }
  const offset = params.optInt('offset');
  const limit = Math.min(100, Math.max(1, params.optInt('limit') ?? 100));
  const timeoutSeconds = Math.min(MAX_POLL_SECONDS, Math.max(0, params.optInt('timeout') ?? 0));
  const allowed = params.json<string[]>('allowed_updates');
  if (allowed !== undefined) state.polling.allowedUpdates = normalizeAllowedUpdates(allowed);

  state.polling.active?.abort(
    'terminated by other getUpdates request; make sure that only one bot instance is running',
  );
  const mine = new AbortController();
  state.polling.active = mine;
  const stop = AbortSignal.any([signal, mine.signal, state.closed]);
  try {
    if (offset !== undefined) state.updates.confirm(offset);
    const deadline = state.now() + timeoutSeconds * 1000;
    for (;;) {
      if (mine.signal.aborted) throw conflict(String(mine.signal.reason));
      // Nobody is listening any more: hand out nothing, so nothing is lost.
      if (signal.aborted || state.closed.aborted) return [];
      const updates = state.updates.takeForPolling(limit, state.polling.allowedUpdates);
      const remaining = deadline - state.now();
      if (updates.length > 0 || remaining <= 0) return updates;
      // The whole point of timeout: wait for an update instead of answering [] at once.
      await state.updates.waitForPush(remaining, stop);
    }
  } finally {
    if (state.polling.active === mine) state.polling.active = undefined;
  }
}

function setWebhook({ params, state }: MethodCall): DescribedResult {
  const url = params.optString('url') ?? '';
  if (url === '') return deleteWebhook({ params, state } as MethodCall);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw badRequest('bad webhook: Failed to resolve host: Name or service not known');
  }
  // The emulator accepts plain http on any port; the cloud API wants HTTPS on 443, 80, 88 or 8443.
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw badRequest('bad webhook: An HTTPS URL must be provided for webhook');
  }
  const secretToken = params.optString('secret_token');
  if (secretToken !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secretToken)) {
    throw badRequest('secret token contains unallowed characters');
  }
  const maxConnections = params.optInt('max_connections') ?? 40;
  if (maxConnections < 1 || maxConnections > 100)
    throw badRequest('max_connections must be between 1 and 100');
  // One allowed_updates setting serves getUpdates and setWebhook alike; an omitted list keeps it.
  const given = params.json<string[]>('allowed_updates');
  if (given !== undefined) state.polling.allowedUpdates = normalizeAllowedUpdates(given);
  const allowedUpdates = state.polling.allowedUpdates;
  if (params.bool('drop_pending_updates')) state.updates.clear();
  const previous = state.webhook.current();
  state.polling.active?.abort('terminated by setWebhook request');
  state.webhook.configure({
    url,
    maxConnections,
    ...(secretToken === undefined ? {} : { secretToken }),
    ...(allowedUpdates === undefined ? {} : { allowedUpdates }),
  });
  return new DescribedResult(
    true,
    previous?.url === url ? 'Webhook is already set' : 'Webhook was set',
  );
}

function deleteWebhook({ params, state }: MethodCall): DescribedResult {
  const previous = state.webhook.current();
  if (params.bool('drop_pending_updates')) state.updates.clear();
  state.webhook.configure(undefined);
  return new DescribedResult(
    true,
    previous === undefined ? 'Webhook is already deleted' : 'Webhook was deleted',
  );
}

function getWebhookInfo({ state }: MethodCall): Record<string, unknown> {
  const settings = state.webhook.current();
  const lastError = state.webhook.lastErrorInfo();
  return {
    url: settings?.url ?? '',
    has_custom_certificate: false,
    pending_update_count: state.updates.size(),
    ...(settings === undefined
      ? {}
      : {
          ip_address: '127.0.0.1',
          max_connections: settings.maxConnections,
          ...(settings.allowedUpdates === undefined
            ? {}
            : { allowed_updates: settings.allowedUpdates }),
        }),
    ...(lastError === undefined
      ? {}
      : { last_error_date: lastError.date, last_error_message: lastError.message }),
  };
}

export const updateMethods: MethodTable = {
  getMe: ({ state }) => state.bot,
  getUpdates,
  setWebhook,
  deleteWebhook,
  getWebhookInfo,
  logOut: () => true,
  close: () => true,
};
