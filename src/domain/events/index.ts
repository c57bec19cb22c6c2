export * from './catalog.js';
export * from './metadata.js';
export * from './values.js';
export * from './user-events.js';
export * from './generation-events.js';
export * from './upcasters.js';
export * from './schedule-events.js';
