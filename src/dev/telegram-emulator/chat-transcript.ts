import type { ApiCallRecord } from './api-call-log.js';
import type { ChatMessage } from './chat-message.js';
import type { PreCheckoutRecord } from './pre-checkout-queries.js';

/** A readable dump of a chat, for assertion failures: what the user would have seen. */
export function chatTranscript(
  title: string,
  messages: readonly ChatMessage[],
  failedCalls: readonly ApiCallRecord[] = [],
  payments: readonly PreCheckoutRecord[] = [],
): string {
  const lines = [`${title}:`];
  if (messages.length === 0) lines.push('  (no messages)');
  for (const message of messages) lines.push(`  ${describeMessage(message)}`);
  if (payments.length > 0) {
    // What the payment form told the user; none of it is a chat message.
    lines.push('Checkouts:');
    for (const { query, answer, expired } of payments) {
      const outcome =
        answer === undefined
          ? expired
            ? 'cancelled: the bot did not answer in time'
            : 'waiting for the bot'
          : answer.ok
            ? 'accepted'
            : `declined: ${JSON.stringify(answer.errorMessage ?? '')}`;
      lines.push(
        `  ${price(query.total_amount, query.currency)} for ${JSON.stringify(query.invoice_payload)} → ${outcome}`,
      );
    }
  }
  if (failedCalls.length > 0) {
    lines.push('Recent failed Bot API calls:');
    for (const call of failedCalls)
      lines.push(`  ${call.method} → ${call.errorCode ?? '-'} ${call.description ?? ''}`);
  }
  return lines.join('\n');
}

export function describeMessage(message: ChatMessage): string {
  const parts = [`#${message.messageId} ${message.sender}:`];
  if (message.media !== undefined) {
    const { kind, fileName, width, height, duration } = message.media;
    const size = width !== undefined && height !== undefined ? ` ${width}x${height}` : '';
    const length = duration === undefined ? '' : ` ${duration}s`;
    parts.push(`[${kind}${fileName === undefined ? '' : ` ${fileName}`}${size}${length}]`);
  }
  if (message.invoice !== undefined) {
    const { title, description, total_amount: amount, currency } = message.invoice;
    parts.push(
      `[invoice ${JSON.stringify(title)} ${price(amount, currency)}: ${JSON.stringify(description)}]`,
    );
  }
  if (message.successfulPayment !== undefined) {
    const payment = message.successfulPayment;
    parts.push(
      `[paid ${price(payment.total_amount, payment.currency)} for ${JSON.stringify(payment.invoice_payload)}, charge ${payment.telegram_payment_charge_id}]`,
    );
  }
  if (message.refundedPayment !== undefined) {
    const refund = message.refundedPayment;
    parts.push(
      `[refunded ${price(refund.total_amount, refund.currency)} of charge ${refund.telegram_payment_charge_id}]`,
    );
  }
  const body = message.text ?? message.caption;
  if (body !== undefined)
    parts.push(JSON.stringify(body.length > 300 ? `${body.slice(0, 300)}…` : body));
  if (message.inlineKeyboard !== undefined) {
    const buttons = message.inlineKeyboard
      .flat()
      .map(
        (button) =>
          `[${button.text}${'callback_data' in button ? ` → ${button.callback_data}` : 'url' in button ? ` ↗ ${button.url}` : 'pay' in button ? ' (pay)' : ''}]`,
      );
    parts.push(buttons.join(' '));
  }
  if (message.editCount > 0) parts.push(`(edited ${message.editCount}×)`);
  if (message.deleted) parts.push('(deleted)');
  return parts.join(' ');
}

function price(amount: number, currency: string): string {
  return currency === 'XTR' ? `⭐${amount}` : `${amount} ${currency}`;
}
