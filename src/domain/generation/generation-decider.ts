import type { Decider } from '../decider.js';
import type { GenerationEvent } from '../events/generation-events.js';
import type { GenerationCommand } from './commands.js';
import { decideGeneration } from './decide.js';
import { evolveGeneration } from './evolve.js';
import type { GenerationRejection } from './rejections.js';
import { initialGenerationState, type GenerationState } from './state.js';

/** The `generation-{id}` aggregate: one video's way through the pipeline, as a state machine. */
export const generationDecider: Decider<
  GenerationCommand,
  GenerationEvent,
  GenerationState,
  GenerationRejection
> = {
  initialState: initialGenerationState,
  decide: decideGeneration,
  evolve: evolveGeneration,
};
