import { Composer, InlineKeyboard } from 'grammy';
import { recentCreditOperations } from '../../queries/credit-ledger-queries.js';
import type { BotContext } from '../bot-context.js';
import { cb } from '../callback-data.js';
import { formatDate } from '../html.js';
import { answer, displayName, show, withNav } from '../ui.js';
import {
  adminMessages,
  notifyAdmins,
  onAction,
  readYourWrites,
  type ModuleEnv,
} from './module-env.js';
import { addPackButtons } from './payments.js';

export const TOP_UP_AMOUNTS = [5, 10, 25, 50] as const;
const RECENT_OPERATIONS = 10;

/**
 * Balance (from the user's own stream), recent operations (the ledger read model), top-up requests.
 */
export function creditsModule(env: ModuleEnv): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const { deps } = env;

  env.screens.define('credits', async (ctx) => {
    const { t, state, userId } = ctx.scope;
    await readYourWrites(env);
    const operations = await recentCreditOperations(deps.readModels, userId, RECENT_OPERATIONS);
    const lines = [t.creditsScreen(state.balance, deps.config.COST_UGC_VIDEO)];
    if (operations.length === 0) lines.push(t.creditsNoOps);
    else {
      lines.push(t.creditsOpsHeader);
      for (const op of operations) {
        lines.push(
          t.creditOp({
            kind: op.kind,
            delta: op.delta,
            reason: op.reason,
            date: formatDate(new Date(op.created_at)),
          }),
        );
      }
    }
    const packs = deps.config.STARS_PACKS;
    if (packs.length > 0) lines.push(t.creditsPacks);
    const keyboard = addPackButtons(new InlineKeyboard(), t, packs)
      .row()
      .text(t.btnTopUp, cb({ kind: 'topUpMenu' }));
    await show(ctx, lines.join('\n'), withNav(keyboard, t));
  });

  onAction(env, 'topUpMenu', async (ctx) => {
    const { t } = ctx.scope;
    answer(ctx);
    const keyboard = new InlineKeyboard();
    for (const amount of TOP_UP_AMOUNTS)
      keyboard.text(String(amount), cb({ kind: 'topUp', amount }));
    await show(ctx, t.topUpMenu, withNav(keyboard, t, { kind: 'screen', screen: 'credits' }));
  });

  onAction(env, 'topUp', async (ctx, action) => {
    const { t, userId } = ctx.scope;
    answer(ctx);
    const outcome = await ctx.scope.exec({
      type: 'RequestTopUp',
      requestId: ctx.scope.derivedId('t'),
      amount: action.amount,
      note: null,
    });
    if (!outcome.ok) {
      await show(
        ctx,
        t.errorApology,
        withNav(new InlineKeyboard(), t, { kind: 'screen', screen: 'credits' }),
      );
      return;
    }
    let delivered = 1;
    if (!outcome.duplicate) {
      const name = displayName(ctx.from, String(userId));
      delivered = await notifyAdmins(
        ctx,
        env,
        adminMessages(env).adminTopUp(name, userId, outcome.state.balance, action.amount),
      );
    }
    await show(
      ctx,
      delivered > 0 ? t.topUpSent(action.amount) : t.topUpNoAdmins,
      withNav(new InlineKeyboard(), t, { kind: 'screen', screen: 'credits' }),
    );
  });

  return composer;
}
