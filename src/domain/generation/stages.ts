import type { GenerationEventType } from '../events/generation-events.js';
import type { GenerationStep } from './next-step.js';

/**
 * The stages where a generation does work, in the order it passes them. A failure names one
 * (`GenerationFailed.stage`), and so do the user's progress message, the pipeline's deadlines and
 * the metrics' `stage` label: one name per stage everywhere.
 */
export const workStages = ['tts', 'video', 'overlay', 'subtitles', 'render', 'delivery'] as const;
export type WorkStage = (typeof workStages)[number];

/** Every stage a user can see, in order: waiting in the queue, then the work. */
export const generationStages = ['queued', ...workStages] as const;
export type GenerationStage = (typeof generationStages)[number];

/** The steps that call a provider or the user; the others only settle the outcome. */
export type WorkStep = Exclude<GenerationStep, 'start' | 'refund' | 'done'>;

export function isWorkStep(step: GenerationStep): step is WorkStep {
  return step !== 'start' && step !== 'refund' && step !== 'done';
}

// A step is finer than a stage: a provider request and the wait for its result are one stage.
const stageOfStep: Readonly<Record<WorkStep, WorkStage>> = {
  synthesize: 'tts',
  request_talking_head: 'video',
  await_talking_head: 'video',
  overlay: 'overlay',
  await_overlay: 'overlay',
  subtitles: 'subtitles',
  complete: 'render',
  deliver: 'delivery',
};

/** The stage a step belongs to. */
export function stageOf(step: WorkStep): WorkStage {
  return stageOfStep[step];
}

/**
 * The generation events that end a stage, and how: `ok` (done), `rejected` (the domain said no to
 * its result) or `abandoned` (given up without a failure: a video Telegram would not take).
 * A `GenerationFailed` ends the stage it names.
 */
export const stageEndedBy: Readonly<
  Partial<
    Record<
      GenerationEventType,
      { readonly stage: WorkStage; readonly outcome: 'ok' | 'rejected' | 'abandoned' }
    >
  >
> = {
  AudioSynthesized: { stage: 'tts', outcome: 'ok' },
  AudioRejected: { stage: 'tts', outcome: 'rejected' },
  TalkingHeadGenerated: { stage: 'video', outcome: 'ok' },
  OverlayRendered: { stage: 'overlay', outcome: 'ok' },
  SubtitlesBurned: { stage: 'subtitles', outcome: 'ok' },
  GenerationCompleted: { stage: 'render', outcome: 'ok' },
  VideoDelivered: { stage: 'delivery', outcome: 'ok' },
  VideoDeliveryAbandoned: { stage: 'delivery', outcome: 'abandoned' },
};
