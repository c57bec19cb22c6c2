import { randomBytes } from 'node:crypto';
import type {
  LabeledPrice,
  Message,
  StarTransaction,
  TransactionPartnerUser,
  User,
} from 'grammy/types';

/** An invoice the bot created, by sendInvoice (a message) or createInvoiceLink (a link). */
export interface InvoiceRecord {
  readonly title: string;
  readonly description: string;
  readonly payload: string;
  readonly currency: string;
  readonly prices: readonly LabeledPrice[];
  readonly totalAmount: number;
  readonly startParameter: string;
  readonly photoUrl?: string;
  /** Where the invoice message is; absent for an invoice link. */
  readonly message?: { readonly chatId: number; readonly messageId: number };
  readonly link?: string;
}

export type RefundSource = 'bot' | 'support';

/** One successful payment, as Telegram keeps it. */
export interface StarCharge {
  readonly chargeId: string;
  readonly providerChargeId: string;
  readonly user: User;
  readonly invoice: InvoiceRecord;
  readonly currency: string;
  readonly totalAmount: number;
  /**
   * The payload the pre-checkout query carried (the invoice's, unless a tampered client changed
   * it).
   */
  readonly payload: string;
  /** Unix seconds. */
  readonly date: number;
  /** The successful_payment service message, kept so it can be delivered again. */
  readonly message: Message;
  refund?: { readonly date: number; readonly by: RefundSource };
}

export type RefundResult =
  | { readonly kind: 'refunded'; readonly charge: StarCharge }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'already-refunded' };

/**
 * The bot's side of Telegram Stars: invoices it issued, charges users paid, refunds, and the
 * transaction list getStarTransactions reads (chronological, incoming and outgoing).
 */
export class StarLedger {
  private readonly invoicesByMessage = new Map<string, InvoiceRecord>();
  private readonly invoicesByLink = new Map<string, InvoiceRecord>();
  private readonly charges = new Map<string, StarCharge>();
  private readonly transactionList: StarTransaction[] = [];
  private providerCounter = 0;

  addMessageInvoice(
    invoice: InvoiceRecord & { readonly message: { chatId: number; messageId: number } },
  ): void {
    this.invoicesByMessage.set(
      messageKey(invoice.message.chatId, invoice.message.messageId),
      invoice,
    );
  }

  /** Registers an invoice and returns its t.me/$… link. */
  addLinkInvoice(invoice: Omit<InvoiceRecord, 'link' | 'message'>): string {
    // Real links are t.me/$ followed by an opaque slug.
    const link = `https://t.me/$${randomBytes(12).toString('base64url')}`;
    this.invoicesByLink.set(link, { ...invoice, link });
    return link;
  }

  invoiceOfMessage(chatId: number, messageId: number): InvoiceRecord | undefined {
    return this.invoicesByMessage.get(messageKey(chatId, messageId));
  }

  invoiceOfLink(link: string): InvoiceRecord | undefined {
    return this.invoicesByLink.get(
      link.trim().replace(/^(?:https?:\/\/)?t\.me\//i, 'https://t.me/'),
    );
  }

  /** The charge paid for an invoice message, if any: the Pay button has become a receipt. */
  chargeOfMessage(chatId: number, messageId: number): StarCharge | undefined {
    return [...this.charges.values()].find(
      (charge) =>
        charge.invoice.message?.chatId === chatId && charge.invoice.message.messageId === messageId,
    );
  }

  newChargeIds(userId: number): { chargeId: string; providerChargeId: string } {
    return {
      // Telegram's Stars charge ids are opaque strings starting with "stx".
      chargeId: `stx${randomBytes(24).toString('base64url')}`,
      providerChargeId: `${userId}_${++this.providerCounter}`,
    };
  }

  recordCharge(charge: StarCharge): void {
    this.charges.set(charge.chargeId, charge);
    this.transactionList.push({
      // The transaction id is the telegram_payment_charge_id of the payment.
      id: charge.chargeId,
      amount: charge.totalAmount,
      date: charge.date,
      source: partner(charge),
    });
  }

  charge(chargeId: string): StarCharge | undefined {
    return this.charges.get(chargeId);
  }

  allCharges(): StarCharge[] {
    return [...this.charges.values()];
  }

  /** Refunds a charge once; the refund transaction keeps the charge's id, as on Telegram. */
  refund(
    chargeId: string,
    userId: number | undefined,
    date: number,
    by: RefundSource,
  ): RefundResult {
    const charge = this.charges.get(chargeId);
    if (charge === undefined || (userId !== undefined && charge.user.id !== userId))
      return { kind: 'not-found' };
    if (charge.refund !== undefined) return { kind: 'already-refunded' };
    charge.refund = { date, by };
    this.transactionList.push({
      id: charge.chargeId,
      amount: charge.totalAmount,
      date,
      receiver: partner(charge),
    });
    return { kind: 'refunded', charge };
  }

  transactions(): readonly StarTransaction[] {
    return [...this.transactionList];
  }

  /** Stars the bot holds: paid in minus refunded out. */
  balance(): number {
    return this.transactionList.reduce(
      (sum, transaction) =>
        sum + (transaction.source === undefined ? -transaction.amount : transaction.amount),
      0,
    );
  }
}

function partner(charge: StarCharge): TransactionPartnerUser {
  return {
    type: 'user',
    transaction_type: 'invoice_payment',
    user: charge.user,
    invoice_payload: charge.payload,
  };
}

function messageKey(chatId: number, messageId: number): string {
  return `${chatId}:${messageId}`;
}
