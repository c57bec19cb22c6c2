import { Composer } from 'grammy';
import type { Actor } from '../../domain/events/metadata.js';
import { utcDay } from '../../projections/projected-event.js';
import { creditAudit, type CreditAuditEntry } from '../../queries/credit-audit.js';
import { dailyStatsOn } from '../../queries/daily-stats-queries.js';
import type { BotContext } from '../bot-context.js';
import { esc, formatDateTime } from '../html.js';
import { t as messagesFor } from '../i18n/index.js';
import type { StatsDay } from '../i18n/views.js';
import { refundStarsPaymentAsAdmin } from '../stars-refunds.js';
import { send } from '../ui.js';
import { asAdmin } from './admin-guard.js';
import { readYourWrites, type ModuleEnv } from './module-env.js';

/** Telegram's limit is 4096 characters; leave room for the <pre> wrapper and the header. */
const AUDIT_CHUNK_CHARS = 3500;

/**
 * `/grant <user> <amount> <reason>`, `/revoke …`, `/audit <user>` (from the event log) and `/stats`
 * (today and yesterday from daily_stats). Every change names the admin as its actor.
 */
export function adminModule(env: ModuleEnv): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const { deps } = env;

  for (const command of ['grant', 'revoke'] as const) {
    composer.command(command, (ctx) =>
      asAdmin(ctx, env, async () => {
        const { t } = ctx.scope;
        const parsed = /^(\d{1,16})\s+(\S+)\s*([\s\S]*)$/.exec(ctx.match.trim());
        if (!parsed) {
          await send(ctx, t.adminUsage(command));
          return;
        }
        const userId = Number(parsed[1]);
        const amountText = parsed[2] ?? '';
        const reason = (parsed[3] ?? '').trim();
        if (!/^[1-9]\d{0,8}$/.test(amountText)) {
          await send(ctx, t.adminInvalidAmount);
          return;
        }
        if (reason === '') {
          await send(ctx, t.adminReasonRequired);
          return;
        }
        if (!Number.isSafeInteger(userId) || userId <= 0) {
          await send(ctx, t.adminUserNotFound(userId));
          return;
        }
        const amount = Number(amountText);
        const actor: Actor = { kind: 'admin', id: String(ctx.scope.userId) };
        const operationId = ctx.scope.derivedId(command);
        const outcome = await ctx.scope.execFor(
          userId,
          command === 'grant'
            ? { type: 'GrantCredits', amount, reason, grantId: operationId }
            : { type: 'RevokeCredits', amount, reason, revokeId: operationId },
          actor,
        );
        if (!outcome.ok) {
          const { code, details } = outcome.rejection;
          await send(
            ctx,
            code === 'not_registered'
              ? t.adminUserNotFound(userId)
              : code === 'insufficient_credits'
                ? t.adminInsufficient(Number(details?.balance ?? outcome.state.balance))
                : code === 'invalid_amount'
                  ? t.adminInvalidAmount
                  : code === 'reason_required'
                    ? t.adminReasonRequired
                    : t.adminFailed(outcome.rejection.message),
          );
          return;
        }
        const balance = outcome.state.balance;
        await send(
          ctx,
          command === 'grant'
            ? t.adminGranted(userId, amount, balance)
            : t.adminRevoked(userId, amount, balance),
        );
        if (outcome.duplicate) return;
        const userMessages = messagesFor(outcome.state.language);
        await ctx.api
          .sendMessage(
            userId,
            command === 'grant'
              ? userMessages.creditsGranted(amount, reason, balance)
              : userMessages.creditsRevoked(amount, reason, balance),
            { parse_mode: 'HTML' },
          )
          .catch((error: unknown) =>
            deps.log.warn({ err: error, userId }, 'could not tell the user about a credit change'),
          );
      }),
    );
  }

  composer.command('audit', (ctx) =>
    asAdmin(ctx, env, async () => {
      const { t } = ctx.scope;
      const parsed = /^(\d{1,16})$/.exec(ctx.match.trim());
      const userId = parsed ? Number(parsed[1]) : NaN;
      if (!Number.isSafeInteger(userId) || userId <= 0) {
        await send(ctx, t.adminUsage('audit'));
        return;
      }
      const audit = await creditAudit(deps.store, userId);
      if (audit.entries.length === 0) {
        await send(ctx, t.adminAuditEmpty(userId));
        return;
      }
      const { totals } = audit;
      await send(
        ctx,
        t.adminAuditHeader(
          userId,
          audit.balance,
          totals.granted,
          totals.spent,
          totals.refunded,
          totals.revoked,
          audit.entries.length,
        ),
      );
      for (const chunk of auditTable(audit.entries)) await send(ctx, `<pre>${esc(chunk)}</pre>`);
      const payments = Object.entries((await deps.users.state(userId)).starsPayments);
      if (payments.length > 0) {
        await send(
          ctx,
          t.adminPayments(
            userId,
            payments.map(([chargeId, p]) => ({
              chargeId,
              stars: p.stars,
              credits: p.credits,
              refunded: p.refunded,
            })),
          ),
        );
      }
    }),
  );

  composer.command('refund', (ctx) =>
    asAdmin(ctx, env, async () => {
      const { t } = ctx.scope;
      const parsed = /^(\d{1,16})\s+(\S{1,256})$/.exec(ctx.match.trim());
      const userId = parsed ? Number(parsed[1]) : NaN;
      const chargeId = parsed?.[2] ?? '';
      if (!Number.isSafeInteger(userId) || userId <= 0 || chargeId === '') {
        await send(ctx, t.adminRefundUsage);
        return;
      }
      const result = await refundStarsPaymentAsAdmin(
        { api: ctx.api, users: deps.users, log: deps.log },
        { userId, chargeId, adminId: ctx.scope.userId },
      );
      if (result.ok) {
        await send(
          ctx,
          t.adminRefunded(userId, result.stars, result.creditsTakenBack, result.balance),
        );
        return;
      }
      await send(
        ctx,
        result.code === 'not_registered'
          ? t.adminUserNotFound(userId)
          : result.code === 'unknown_payment'
            ? t.adminRefundUnknown(userId, chargeId)
            : result.code === 'payment_already_refunded'
              ? t.adminRefundAlready(chargeId)
              : t.adminRefundFailed(result.message),
      );
    }),
  );

  composer.command('stats', (ctx) =>
    asAdmin(ctx, env, async () => {
      await readYourWrites(env);
      const now = deps.now();
      const today = utcDay(now);
      const yesterday = utcDay(new Date(now.getTime() - 86_400_000));
      const rows = await dailyStatsOn(deps.readModels, [today, yesterday]);
      const byDay = new Map(rows.map((row) => [dayString(row.day), row]));
      const days: StatsDay[] = [
        { label: 'today', day: today, row: numericRow(byDay.get(today)) },
        { label: 'yesterday', day: yesterday, row: numericRow(byDay.get(yesterday)) },
      ];
      await send(ctx, ctx.scope.t.adminStats(days));
    }),
  );

  return composer;
}

function dayString(day: Date | string): string {
  return day instanceof Date ? utcDay(day) : String(day).slice(0, 10);
}

function numericRow(row: Record<string, unknown> | undefined): Record<string, number> | null {
  if (!row) return null;
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(row)) {
    if (typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value)))
      out[key] = Number(value);
  }
  return out;
}

const shortType: Record<CreditAuditEntry['type'], string> = {
  CreditsGranted: 'grant',
  CreditsRevoked: 'revoke',
  CreditsSpent: 'spend',
  CreditsRefunded: 'refund',
};

/**
 * The audit as a fixed-width table (position, type, delta, balance, reason, actor, time), split to
 * fit messages.
 */
export function auditTable(entries: readonly CreditAuditEntry[]): string[] {
  const header = ['pos', 'type', 'delta', 'bal', 'reason', 'actor', 'time (UTC)'];
  const rows = entries.map((entry) => [
    entry.globalPosition.toString(),
    shortType[entry.type],
    entry.delta > 0 ? `+${entry.delta}` : String(entry.delta),
    String(entry.balanceAfter),
    truncate(entry.reason.replace(/\s+/g, ' '), 28),
    truncate(`${entry.actor.kind}:${entry.actor.id}`, 18),
    formatDateTime(entry.timestamp),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => [...(row[column] ?? '')].length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => {
        const pad = (widths[column] ?? 0) - [...cell].length;
        return column === 2 || column === 3 ? ' '.repeat(pad) + cell : cell + ' '.repeat(pad);
      })
      .join(' │ ')
      .trimEnd();
  const head = `${line(header)}\n${widths.map((w) => '─'.repeat(w)).join('─┼─')}`;
  const chunks: string[] = [];
  let current = head;
  // Measured escaped: the chunk is sent as HTML, where `&` becomes `&amp;`.
  let size = esc(head).length;
  for (const row of rows) {
    const next = line(row);
    const nextSize = esc(next).length + 1;
    if (size + nextSize > AUDIT_CHUNK_CHARS) {
      chunks.push(current);
      current = head;
      size = esc(head).length;
    }
    current += `\n${next}`;
    size += nextSize;
  }
  chunks.push(current);
  return chunks;
}

function truncate(text: string, max: number): string {
  const points = [...text];
  return points.length <= max ? text : `${points.slice(0, max - 1).join('')}…`;
}
