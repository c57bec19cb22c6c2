export { userDecider } from './user-decider.js';
export { decideUser, BACKGROUND_VIDEO_MIME_TYPES, type UserDecision } from './decide.js';
export { evolveUser } from './evolve.js';
export * from './state.js';
export type * from './commands.js';
export type * from './rejections.js';
export { toSpeechText, isSpeakable } from './speech-text.js';
export * from './background-clip.js';
export { voiceLanguagesOf } from './voice-languages.js';
