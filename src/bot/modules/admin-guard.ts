import type { BotContext } from '../bot-context.js';
import { send } from '../ui.js';
import type { ModuleEnv } from './module-env.js';
import { replyUnknownCommand } from './navigation.js';

/**
 * Admin commands: only ADMIN_IDS, each admin rate limited. Anyone else gets exactly the reply an
 * unknown command gets, so the commands' existence is not revealed.
 */
export async function asAdmin(
  ctx: BotContext,
  env: ModuleEnv,
  run: () => Promise<void>,
): Promise<void> {
  if (!ctx.scope.isAdmin) {
    if (ctx.chat?.type === 'private') await replyUnknownCommand(ctx);
    return;
  }
  const taken = env.adminBuckets.take(ctx.scope.userId);
  if (!taken.ok) {
    env.deps.log.warn({ adminId: ctx.scope.userId }, 'admin rate limit hit');
    await send(ctx, ctx.scope.t.adminRateLimited(taken.retryAfterSec));
    return;
  }
  env.deps.log.info(
    { adminId: ctx.scope.userId, text: ctx.message?.text?.split(/\s/)[0] },
    'admin command',
  );
  await run();
}
