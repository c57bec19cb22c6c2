import { userStream } from '../domain/events/streams.js';
import type { EventStore } from '../ports/event-store/event-store.js';
import { creditChangeOf } from '../domain/user/credit-change.js';
import { toProjectedEvent } from '../projections/projected-event.js';

const totalKey = {
  grant: 'granted',
  spend: 'spent',
  refund: 'refunded',
  revoke: 'revoked',
} as const;
const creditEventTypes = [
  'CreditsGranted',
  'CreditsRevoked',
  'CreditsSpent',
  'CreditsRefunded',
] as const;
const isCreditEventType = (type: string): type is CreditAuditEntry['type'] =>
  (creditEventTypes as readonly string[]).includes(type);

export interface CreditAuditEntry {
  readonly eventId: string;
  readonly globalPosition: bigint;
  readonly revision: bigint;
  readonly type: 'CreditsGranted' | 'CreditsRevoked' | 'CreditsSpent' | 'CreditsRefunded';
  readonly delta: number;
  readonly balanceAfter: number;
  readonly reason: string;
  readonly actor: { readonly kind: string; readonly id: string };
  readonly timestamp: Date;
  readonly generationId: string | null;
  readonly operationId: string;
  readonly commandId: string | null;
}

export interface CreditAudit {
  readonly telegramId: number;
  readonly entries: readonly CreditAuditEntry[];
  readonly balance: number;
  readonly totals: {
    readonly granted: number;
    readonly spent: number;
    readonly refunded: number;
    readonly revoked: number;
  };
}

/**
 * A user's credit history read straight from the event log — not from a projection — so an admin
 * can check the read models against the source of truth.
 */
export async function creditAudit(store: EventStore, telegramId: number): Promise<CreditAudit> {
  const recorded = await store.readStream(userStream(telegramId));
  const entries: CreditAuditEntry[] = [];
  const totals = { granted: 0, spent: 0, refunded: 0, revoked: 0 };
  let balance = 0;
  for (const record of recorded) {
    const projected = toProjectedEvent(record);
    if (!projected) continue;
    const { event } = projected;
    const change = creditChangeOf(event);
    if (!change || !isCreditEventType(event.type)) continue;
    const { delta, operationId, generationId } = change;
    totals[totalKey[change.kind]] += Math.abs(delta);
    balance += delta;
    entries.push({
      eventId: record.id,
      globalPosition: record.globalPosition,
      revision: record.revision,
      type: event.type,
      delta,
      balanceAfter: balance,
      reason: change.reason,
      actor: projected.actor,
      timestamp: projected.at,
      generationId,
      operationId,
      commandId: typeof record.metadata.commandId === 'string' ? record.metadata.commandId : null,
    });
  }
  return { telegramId, entries, balance, totals };
}
