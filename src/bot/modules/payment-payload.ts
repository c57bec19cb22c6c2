/**
 * The invoice payload names the order: `o1:<orderId>`. Telegram hands it back in the pre-checkout
 * query and the successful payment; the order itself (pack, credits, price) is in the buyer's event
 * stream, so the payload carries nothing that could be trusted or tampered with beyond the id.
 */
const PAYLOAD_PREFIX = 'o1:';
const ORDER_ID = /^[A-Za-z0-9_-]{1,100}$/;

export function orderPayload(orderId: string): string {
  if (!ORDER_ID.test(orderId))
    throw new RangeError(`order id ${JSON.stringify(orderId)} does not fit an invoice payload`);
  return `${PAYLOAD_PREFIX}${orderId}`;
}

/** The order a payload names, or null for anything else (forged, from another bot, garbage). */
export function orderIdOf(payload: string | undefined): string | null {
  if (payload === undefined || !payload.startsWith(PAYLOAD_PREFIX)) return null;
  const orderId = payload.slice(PAYLOAD_PREFIX.length);
  return ORDER_ID.test(orderId) ? orderId : null;
}
