import type { FailureStage } from '../domain/events/values.js';
import type { GenerationStep } from '../domain/generation/next-step.js';
import type { Stage } from '../logging/logger.js';
import type { ProgressStage } from '../ports/user-notifier.js';

/** The steps that call a provider or the user; the others only settle the outcome. */
export type WorkStep = Exclude<GenerationStep, 'start' | 'refund' | 'done'>;

export interface StepStages {
  /** What the user's progress message says. */
  readonly progress: ProgressStage;
  /** What a GenerationFailed names when this step gives up. */
  readonly failure: FailureStage;
  /** The `stage` field of every log line (the vocabularies are listed in docs/architecture.md). */
  readonly log: Stage;
}

const stages: Readonly<Record<WorkStep, StepStages>> = {
  synthesize: { progress: 'tts', failure: 'tts', log: 'tts' },
  request_talking_head: { progress: 'video', failure: 'video', log: 'video' },
  await_talking_head: { progress: 'video', failure: 'video', log: 'video' },
  overlay: { progress: 'overlay', failure: 'overlay', log: 'overlay' },
  await_overlay: { progress: 'overlay', failure: 'overlay', log: 'overlay' },
  // Subtitles are burned into the final cut, which the log vocabulary calls montage.
  subtitles: { progress: 'overlay', failure: 'overlay', log: 'montage' },
  complete: { progress: 'render', failure: 'render', log: 'render' },
  deliver: { progress: 'delivery', failure: 'delivery', log: 'render' },
};

export function isWorkStep(step: GenerationStep): step is WorkStep {
  return step !== 'start' && step !== 'refund' && step !== 'done';
}

export function stagesOf(step: WorkStep): StepStages {
  return stages[step];
}
