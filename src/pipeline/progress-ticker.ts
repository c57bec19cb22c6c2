import type { GenerationStage } from '../domain/generation/stages.js';
import type { Logger } from '../logging/logger.js';
import type { DeliveryTarget, UserNotifier } from '../ports/user-notifier.js';

export interface ProgressTarget {
  readonly notifier: UserNotifier;
  /** Whose progress message, and which one. */
  readonly target: DeliveryTarget;
  /** When the user pressed "Generate": the message counts from there, queueing included. */
  readonly requestedAt: Date;
  readonly intervalMs: number;
  readonly now: () => Date;
  readonly log: Logger;
  /** This run picked the generation up after another run was cut off (crash, hang, stop). */
  readonly resumed?: boolean;
}

/**
 * Tells the user the stage at once, then again every `intervalMs` with the elapsed time, so the
 * one progress message the bot edits keeps moving during long stages. Returns the stopper.
 */
export function startProgress(target: ProgressTarget, stage: GenerationStage): () => void {
  const send = () => {
    const elapsedSec = Math.max(
      0,
      Math.round((target.now().getTime() - target.requestedAt.getTime()) / 1000),
    );
    // Progress is decoration: a failure to edit a message must never fail the generation.
    target.notifier
      .progress({
        ...target.target,
        stage,
        elapsedSec,
        ...(target.resumed ? { resumed: true } : {}),
      })
      .catch((error: unknown) =>
        target.log.debug(
          { err: error, generationId: target.target.generationId },
          'progress update failed',
        ),
      );
  };
  send();
  const timer = setInterval(send, Math.max(100, target.intervalMs));
  timer.unref();
  return () => clearInterval(timer);
}
