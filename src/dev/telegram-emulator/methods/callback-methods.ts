import { badRequest } from '../bot-api-error.js';
import type { MethodCall, MethodTable } from './method-registry.js';

function answerCallbackQuery({ params, state }: MethodCall): boolean {
  const queryId = params.string(
    'callback_query_id',
    'query is too old and response timeout expired or query ID is invalid',
  );
  const text = params.optString('text');
  if (text !== undefined && text.length > 200) throw badRequest('MESSAGE_TOO_LONG');
  const url = params.optString('url');
  const cacheTime = params.optInt('cache_time');
  state.callbacks.answer(queryId, {
    showAlert: params.bool('show_alert'),
    ...(text === undefined ? {} : { text }),
    ...(url === undefined ? {} : { url }),
    ...(cacheTime === undefined ? {} : { cacheTime }),
  });
  return true;
}

export const callbackMethods: MethodTable = { answerCallbackQuery };
