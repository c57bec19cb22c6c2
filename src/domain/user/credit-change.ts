import type { AnyDomainEvent } from '../events/catalog.js';

export type CreditKind = 'grant' | 'revoke' | 'spend' | 'refund';

/**
 * What a credit event does to a balance: the one mapping the ledger, the audit and reports share.
 */
export interface CreditChange {
  readonly kind: CreditKind;
  readonly delta: number;
  readonly reason: string;
  /** The grant, revoke or spend id; a refund names the spend it returns. */
  readonly operationId: string;
  readonly generationId: string | null;
}

export function creditChangeOf(event: AnyDomainEvent): CreditChange | undefined {
  switch (event.type) {
    case 'CreditsGranted':
      return {
        kind: 'grant',
        delta: event.data.amount,
        reason: event.data.reason,
        operationId: event.data.grantId,
        generationId: null,
      };
    case 'CreditsRevoked':
      return {
        kind: 'revoke',
        delta: -event.data.amount,
        reason: event.data.reason,
        operationId: event.data.revokeId,
        generationId: null,
      };
    case 'CreditsSpent':
      return {
        kind: 'spend',
        delta: -event.data.amount,
        reason: event.data.reason,
        operationId: event.data.spendId,
        generationId: event.data.generationId,
      };
    case 'CreditsRefunded':
      return {
        kind: 'refund',
        delta: event.data.amount,
        reason: event.data.reason,
        operationId: event.data.spendId,
        generationId: event.data.generationId,
      };
    default:
      return undefined;
  }
}
