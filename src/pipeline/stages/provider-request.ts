import type { GenerationState } from '../../domain/generation/state.js';
import { elapsedSince, type StageContext } from '../stage-context.js';

type RequestKind = 'talking_head' | 'overlay';

const plans = {
  talking_head: {
    command: 'RecordTalkingHeadRequest',
    stage: 'video',
    status: 'talking_head_requested',
    of: (s: GenerationState) => s.talkingHead?.requestId,
  },
  overlay: {
    command: 'RecordOverlayRequest',
    stage: 'overlay',
    status: 'overlay_requested',
    of: (s: GenerationState) => s.overlay?.requestId,
  },
} as const;

/**
 * A cloud provider's job id, stored the moment the provider reports it and before the long wait,
 * so a restarted run resumes the job (`resumeRequestId`) instead of paying for it again. `state()`
 * is the generation as of the last id recorded, for the step's own final record.
 */
export function providerRequest(
  ctx: StageContext,
  initial: GenerationState,
  kind: RequestKind,
  provider: string,
  startedAt: number,
) {
  const plan = plans[kind];
  let current = initial;
  const stored = initial.status === plan.status ? (plan.of(initial) ?? undefined) : undefined;
  return {
    resume: stored !== undefined ? { resumeRequestId: stored } : {},
    resumed: stored !== undefined,
    state: () => current,
    onSubmitted: async (requestId: string): Promise<void> => {
      if (requestId === plan.of(current)) return;
      current = await ctx.record({ type: plan.command, provider, requestId }, current, requestId);
      ctx.log.info(
        { stage: plan.stage, requestId, provider, elapsedMs: elapsedSince(startedAt) },
        `${kind.replace('_', '-')} request stored`,
      );
    },
  };
}
