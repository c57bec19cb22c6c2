/**
 * Command ids of Stars payments, derived from Telegram's charge id rather than from the update:
 * a redelivered `successful_payment` (a new update) is the same command, so it grants once, and
 * every refund of one charge, whoever asks (an admin in the bot or the API, Telegram's
 * `refunded_payment`), is one command, so equal event ids make a racing second append idempotent.
 */
export const paymentCommandId = (chargeId: string): string => `stars-payment:${chargeId}`;

export const refundCommandId = (chargeId: string): string => `stars-refund:${chargeId}`;
