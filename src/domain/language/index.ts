export * from './detect-script-language.js';
export * from './language-tags.js';
export * from './voice-speaks.js';
export * from './writing-system.js';
