export { generationDecider } from './generation-decider.js';
export { decideGeneration, type GenerationDecision } from './decide.js';
export { evolveGeneration } from './evolve.js';
export { nextStep, type GenerationStep } from './next-step.js';
export * from './state.js';
export * from './stages.js';
export { startGenerationFrom } from './commands.js';
export type * from './commands.js';
export type * from './rejections.js';
