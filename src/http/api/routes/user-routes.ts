import { z } from 'zod';
import { creditAudit } from '../../../queries/credit-audit.js';
import { findCreditBalance } from '../../../queries/credit-balance-queries.js';
import { creditLedgerPage } from '../../../queries/credit-ledger-queries.js';
import { starsPaymentsOf } from '../../../queries/stars-payment-queries.js';
import { findUser } from '../../../queries/user-queries.js';
import { formatPosition } from '../../../ports/event-store/position.js';
import type { ApiDeps } from '../api-deps.js';
import { ApiError, notFound } from '../api-error.js';
import { defineRoute } from '../api-route.js';
import { isoOrNull } from '../dates.js';
import { limitParam, telegramIdParam, withAtPosition } from '../input.js';

const userParams = z.object({ telegramId: telegramIdParam }).strict();

export const userRoutes = (deps: ApiDeps) => [
  defineRoute({
    url: '/users/:telegramId',
    scope: 'admin',
    tag: 'users',
    summary: "A user's profile and credit balance",
    description:
      'From the `users` and `credit_balances` projections. 404 when no such user registered.',
    query: withAtPosition({}),
    params: userParams,
    async handle({ params }) {
      const user = await findUser(deps.db, params.telegramId);
      if (!user) throw notFound(`no user ${params.telegramId}`);
      const balance = await findCreditBalance(deps.db, params.telegramId);
      return {
        telegramId: String(user.telegram_id),
        username: user.username,
        firstName: user.first_name,
        language: user.language,
        registeredAt: isoOrNull(user.registered_at),
        lastActivityAt: isoOrNull(user.last_activity_at),
        generationsRequested: user.generations_requested,
        credits: {
          balance: balance?.balance ?? 0,
          granted: balance?.granted ?? 0,
          spent: balance?.spent ?? 0,
          refunded: balance?.refunded ?? 0,
          revoked: balance?.revoked ?? 0,
        },
      };
    },
  }),
  defineRoute({
    url: '/users/:telegramId/ledger',
    scope: 'admin',
    tag: 'users',
    summary: "A user's credit ledger (projection)",
    description:
      'Rows of the `credit_ledger` projection in event-log order, `limit` per page; pass `nextAfter` back as `after` for the next page (null on the last page).',
    query: withAtPosition({
      after: z
        .string()
        .regex(/^\d{1,20}$/, 'expected a global position')
        .optional()
        .describe('Global position of the last row seen.'),
      limit: limitParam(200, 1000),
    }),
    params: userParams,
    async handle({ params, query }) {
      const page = await creditLedgerPage(deps.db, params.telegramId, {
        after: query.after,
        limit: query.limit,
      });
      return {
        telegramId: String(params.telegramId),
        entries: page.entries.map((row) => ({
          eventId: row.event_id,
          globalPosition: String(row.global_position),
          kind: row.kind,
          delta: row.delta,
          balanceAfter: row.balance_after,
          reason: row.reason,
          actor: { kind: row.actor_kind, id: row.actor_id },
          generationId: row.generation_id,
          operationId: row.operation_id,
          timestamp: isoOrNull(row.created_at),
        })),
        nextAfter: page.nextAfter,
      };
    },
  }),
  defineRoute({
    url: '/users/:telegramId/credit-audit',
    scope: 'admin',
    tag: 'users',
    summary: "A user's credit audit, straight from the event log",
    description:
      "Every credit event of the user's stream read from the event store, not from a projection: event id, global position, type, delta, running balance, reason, actor and timestamp. The deltas sum to `balance`; compare with the ledger to check the read models. `atPosition` is accepted but not needed: the log is always current.",
    query: withAtPosition({}),
    params: userParams,
    async handle({ params }) {
      const audit = await creditAudit(deps.store, params.telegramId);
      return {
        telegramId: String(audit.telegramId),
        balance: audit.balance,
        totals: audit.totals,
        entries: audit.entries.map((entry) => ({
          eventId: entry.eventId,
          globalPosition: entry.globalPosition.toString(),
          revision: entry.revision.toString(),
          type: entry.type,
          delta: entry.delta,
          balanceAfter: entry.balanceAfter,
          reason: entry.reason,
          actor: entry.actor,
          timestamp: entry.timestamp.toISOString(),
          generationId: entry.generationId,
          operationId: entry.operationId,
          commandId: entry.commandId,
        })),
      };
    },
  }),
  defineRoute({
    url: '/users/:telegramId/payments',
    scope: 'admin',
    tag: 'users',
    summary: "A user's Telegram Stars payments and their refunds",
    description:
      'Rows of the `stars_payments` projection, newest first: charge id (what a refund names), Stars, credits, and the refund if any.',
    query: withAtPosition({ limit: limitParam(50, 500) }),
    params: userParams,
    async handle({ params, query }) {
      const rows = await starsPaymentsOf(deps.db, params.telegramId, query.limit);
      return {
        telegramId: String(params.telegramId),
        payments: rows.map((row) => ({
          chargeId: row.charge_id,
          orderId: row.order_id,
          packId: row.pack_id,
          credits: row.credits,
          stars: row.stars,
          paidAt: isoOrNull(row.paid_at),
          refund:
            row.refunded_at === null
              ? null
              : {
                  at: isoOrNull(row.refunded_at),
                  by: row.refunded_by,
                  adminId: row.refund_admin_id === null ? null : String(row.refund_admin_id),
                  creditsTakenBack: row.credits_taken_back,
                },
        })),
      };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/users/:telegramId/payments/:chargeId/refund',
    scope: 'admin',
    tag: 'users',
    summary: 'Refund a Telegram Stars payment',
    description:
      'Returns the Stars through Telegram (`refundStarPayment`), then records the refund in the user\'s stream, taking back the credits the payment bought but never more than the balance. Body: `{"adminId": <Telegram id from ADMIN_IDS>}`, the admin the refund is recorded under. 404 unknown user or payment, 409 `ALREADY_REFUNDED`, 502 `TELEGRAM_REFUSED` (nothing recorded), 503 when the bot is not running here.',
    query: withAtPosition({}),
    params: z
      .object({
        telegramId: telegramIdParam,
        chargeId: z.string().regex(/^[A-Za-z0-9_.:-]{1,256}$/, 'not a charge id'),
      })
      .strict(),
    body: z.object({ adminId: z.int().positive() }).strict(),
    async handle({ params, body }) {
      const refunds = deps.starsRefunds;
      if (!refunds)
        throw new ApiError(
          503,
          'PAYMENTS_UNAVAILABLE',
          'The bot is not running on this instance, so Telegram cannot be asked for the refund',
        );
      const { adminId } = body as { adminId: number };
      if (!refunds.adminIds.includes(adminId))
        throw new ApiError(400, 'BAD_REQUEST', `body.adminId: ${adminId} is not in ADMIN_IDS`);
      const result = await refunds.refund({
        userId: params.telegramId,
        chargeId: params.chargeId,
        adminId,
      });
      if (result.ok) {
        return {
          refunded: true,
          stars: result.stars,
          creditsTakenBack: result.creditsTakenBack,
          balance: result.balance,
          duplicate: result.duplicate,
        };
      }
      if (result.code === 'not_registered' || result.code === 'unknown_payment')
        throw notFound(`no payment ${params.chargeId} of user ${params.telegramId}`);
      if (result.code === 'payment_already_refunded')
        throw new ApiError(
          409,
          'ALREADY_REFUNDED',
          `payment ${params.chargeId} is refunded already`,
        );
      throw new ApiError(502, 'TELEGRAM_REFUSED', `Telegram refused the refund: ${result.message}`);
    },
  }),
  defineRoute({
    url: '/streams/:streamName/events',
    scope: 'admin',
    tag: 'events',
    summary: "A stream's raw events",
    description:
      'The stored events of one stream (e.g. `user-123`, `generation-<uuid>`) in revision order, with data and metadata as stored. Page with `fromRevision` (inclusive) and `limit`; `nextRevision` is null on the last page.',
    query: withAtPosition({
      fromRevision: z
        .string()
        .regex(/^\d{1,19}$/, 'expected a revision (0-based)')
        .optional(),
      limit: limitParam(100, 1000),
    }),
    params: z
      .object({
        streamName: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:@$-]{0,199}$/, 'not a stream name'),
      })
      .strict(),
    async handle({ params, query }) {
      const events = await deps.store.readStream(params.streamName, {
        fromRevision: BigInt(query.fromRevision ?? '0'),
        maxCount: query.limit + 1,
      });
      const page = events.slice(0, query.limit);
      return {
        streamName: params.streamName,
        events: page.map((event) => ({
          id: event.id,
          revision: event.revision.toString(),
          type: event.type,
          data: event.data,
          metadata: event.metadata,
          position: formatPosition(event.position),
          globalPosition: event.globalPosition.toString(),
          createdAt: event.createdAt.toISOString(),
        })),
        nextRevision: events.length > query.limit ? events[query.limit]!.revision.toString() : null,
      };
    },
  }),
];
