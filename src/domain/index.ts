// The domain's public surface: the command layer, projections and the pipeline import from here.
export * from './decider.js';
export * from './events/index.js';
export * from './user/index.js';
export * from './generation/index.js';
export * from './language/index.js';
