import type { GenerationCommandType } from '../domain/generation/commands.js';

// Deterministic ids: a redelivered event or a second worker sends the same command id, and the
// command layer answers a repeat with the first outcome instead of appending again.

export const startCommandId = (requestEventId: string): string =>
  `pipeline:start:${requestEventId}`;

export const stageCommandId = (
  generationId: string,
  type: GenerationCommandType,
  discriminator?: string,
): string => `pipeline:${generationId}:${type}${discriminator ? `:${discriminator}` : ''}`;

export const refundCommandId = (generationId: string): string =>
  `pipeline:${generationId}:RefundCredits`;

export const pipelineActor = { kind: 'system', id: 'generation-pipeline' } as const;
