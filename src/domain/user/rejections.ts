import type { DomainRejection } from '../decider.js';

/** Stable codes: the bot maps each to a message in the user's language, so never rename one. */
export type UserRejectionCode =
  | 'not_registered'
  | 'already_registered'
  | 'invalid_telegram_id'
  | 'invalid_amount'
  | 'reason_required'
  | 'insufficient_credits'
  | 'duplicate_spend'
  | 'unknown_spend'
  | 'already_refunded'
  | 'feedback_empty'
  | 'feedback_too_long'
  | 'duplicate_feedback'
  | 'unknown_feedback'
  | 'already_answered'
  | 'wrong_format'
  | 'unsupported_video_type'
  | 'invalid_video'
  | 'video_too_long'
  | 'video_too_large'
  | 'no_character'
  | 'prompt_empty'
  | 'edit_in_progress'
  | 'edit_limit_reached'
  | 'unknown_edit'
  | 'nothing_to_revert'
  | 'script_empty'
  | 'script_too_long'
  | 'draft_incomplete'
  | 'duplicate_generation'
  /** The chosen voice cannot read the script; details: `language`, `system`, `possible`, `voiceLanguages`. */
  | 'voice_language_mismatch';

export type UserRejection = DomainRejection<UserRejectionCode>;
