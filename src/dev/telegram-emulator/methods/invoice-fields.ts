import type { LabeledPrice } from 'grammy/types';
import type { ApiParams } from '../api-params.js';
import { badRequest } from '../bot-api-error.js';
import type { InvoiceRecord } from '../star-ledger.js';

const TITLE_MAX = 32;
const DESCRIPTION_MAX = 255;
const PAYLOAD_MAX_BYTES = 128;
const MAX_SUGGESTED_TIPS = 4;

export type InvoiceFields = Omit<InvoiceRecord, 'message' | 'link'>;

/**
 * The invoice parameters sendInvoice and createInvoiceLink share, validated in the Bot API
 * server's order: required parameters and the prices JSON first, then the amounts, then what
 * Telegram checks for Stars (one price, no provider token, no tips).
 */
export function readInvoiceFields(params: ApiParams): InvoiceFields {
  const title = required(params, 'title');
  const description = required(params, 'description');
  const payload = required(params, 'payload');
  const providerToken = params.optString('provider_token') ?? '';
  const startParameter = params.optString('start_parameter') ?? '';
  const currency = required(params, 'currency');
  if (!params.has('prices')) throw badRequest('parameter "prices" is required');
  const prices = readPrices(params.json<unknown>('prices', 'prices JSON object'));

  const totalAmount = prices.reduce((sum, price) => sum + price.amount, 0);
  if (totalAmount <= 0) throw badRequest('total price must be positive');
  const maxTip = params.optInt('max_tip_amount') ?? 0;
  const suggestedTips = params.json<unknown>(
    'suggested_tip_amounts',
    'suggested_tip_amounts JSON object',
  );
  if (
    suggestedTips !== undefined &&
    (!Array.isArray(suggestedTips) || suggestedTips.length > MAX_SUGGESTED_TIPS)
  ) {
    throw badRequest('there can be at most 4 suggested tip amounts');
  }

  // Telegram's limits on the product texts; the wording of these two refusals is the emulator's
  // own.
  if ([...title].length > TITLE_MAX)
    throw badRequest(`invoice title must be 1-${TITLE_MAX} characters long`);
  if ([...description].length > DESCRIPTION_MAX)
    throw badRequest(`invoice description must be 1-${DESCRIPTION_MAX} characters long`);
  if (Buffer.byteLength(payload, 'utf8') > PAYLOAD_MAX_BYTES)
    throw badRequest('INVOICE_PAYLOAD_INVALID');

  if (currency !== 'XTR') {
    // Only Stars are emulated: there is no payment provider a token could name.
    throw badRequest('PAYMENT_PROVIDER_INVALID');
  }
  const tips = maxTip !== 0 || (Array.isArray(suggestedTips) && suggestedTips.length > 0);
  if (providerToken !== '' || prices.length !== 1 || tips)
    throw badRequest('STARS_INVOICE_INVALID');

  const photoUrl = params.optString('photo_url');
  return {
    title,
    description,
    payload,
    currency,
    prices,
    totalAmount,
    startParameter,
    ...(photoUrl === undefined || photoUrl === '' ? {} : { photoUrl }),
  };
}

function required(params: ApiParams, name: string): string {
  return params.string(name, `parameter "${name}" is required`);
}

function readPrices(value: unknown): LabeledPrice[] {
  if (!Array.isArray(value)) throw badRequest('expected an Array of labeled prices');
  const prices = value.map((item: unknown) => readPrice(item));
  if (prices.length === 0) throw badRequest('there must be at least one price');
  return prices;
}

function readPrice(item: unknown): LabeledPrice {
  const fail = (detail: string): never => {
    throw badRequest(`can't parse labeled price: ${detail}`);
  };
  if (typeof item !== 'object' || item === null || Array.isArray(item))
    return fail('LabeledPrice must be an Object');
  const { label, amount } = item as Record<string, unknown>;
  if (typeof label !== 'string') return fail('field "label" must be of type String');
  if (label === '') return fail('LabeledPrice label must be non-empty');
  const parsed =
    typeof amount === 'string' && /^-?\d+$/.test(amount.trim()) ? Number(amount) : amount;
  if (typeof parsed !== 'number' || !Number.isSafeInteger(parsed))
    return fail('field "amount" must be of type Number');
  return { label, amount: parsed };
}
