import { findSpend } from '../../domain/user/state.js';
import type { GenerationState } from '../../domain/generation/state.js';
import { logStageOf, type Stage } from '../../logging/logger.js';
import { pipelineActor, refundCommandId } from '../command-ids.js';
import { failureNotice, refundReason } from '../failure-notice.js';
import type { FinishedStatus } from '../job-queue.js';
import { CommandRejectedError } from '../pipeline-errors.js';
import { deliveryTarget, type StageContext } from '../stage-context.js';

/**
 * A generation that ends without a video (audio too long, failed, never started): the credit goes
 * back, then the user is told. Re-driven until it succeeds; exactly one refund holds because the
 * user decider refuses a second one (`already_refunded`), which here just means "done".
 */
export async function settleWithoutVideo(
  ctx: StageContext,
  state: GenerationState,
): Promise<FinishedStatus> {
  const user = await ctx.deps.users.state(ctx.userId);
  const spend = findSpend(user, ctx.generationId);
  const notice = failureNotice(state);
  const stage = logStage(state);
  if (!spend) {
    // Cannot happen for a GenerationRequested (it is appended with its spend); say so loudly.
    ctx.log.error(
      { stage, status: state.status },
      'no credit spend recorded for this generation; nothing to refund',
    );
    await ctx.deps.notifier.failed({
      ...deliveryTarget(ctx),
      language: user.language,
      notice,
      refunded: false,
    });
    return 'abandoned';
  }
  if (!spend.refunded) {
    const outcome = await ctx.deps.users.execute(
      ctx.userId,
      { type: 'RefundCredits', spendId: ctx.generationId, reason: refundReason(state) },
      {
        commandId: refundCommandId(ctx.generationId),
        actor: pipelineActor,
        correlationId: ctx.generationId,
      },
    );
    if (!outcome.ok && outcome.rejection.code !== 'already_refunded')
      throw new CommandRejectedError('RefundCredits', outcome.rejection);
    ctx.log.info(
      {
        stage,
        amount: spend.amount,
        status: state.status,
        duplicate: outcome.ok && outcome.duplicate,
      },
      'credit refunded',
    );
  }
  await ctx.deps.notifier.failed({
    ...deliveryTarget(ctx),
    language: user.language,
    notice,
    refunded: true,
  });
  return 'refunded';
}

/** The log stage of where it ended: speech for a rejected audio, else the failed stage. */
function logStage(state: GenerationState): Stage {
  const failed = state.failure?.stage;
  return failed ? logStageOf(failed) : 'tts';
}
