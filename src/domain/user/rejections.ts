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
  | 'unsupported_video_type'
  | 'invalid_video'
  | 'video_too_long'
  | 'video_too_large'
  | 'prompt_empty'
  | 'edit_in_progress'
  | 'edit_limit_reached'
  | 'unknown_edit'
  | 'nothing_to_revert'
  | 'script_empty'
  | 'script_too_long'
  | 'draft_incomplete'
  | 'duplicate_generation'
  /**
   * The chosen voice cannot read the script; details: `language`, `system`, `possible`,
   * `voiceLanguages`.
   */
  | 'voice_language_mismatch'
  /** A wizard command whose step is not open yet; details are an `OutOfStep`. */
  | 'out_of_step'
  /** An edited message that is not the script of the current draft. */
  | 'not_the_script'
  /** An edited script message a generation was already made from; details name the generation. */
  | 'script_already_used'
  /** Stars payments: the payload names no order of this user. */
  | 'unknown_order'
  /** The order was paid already; details: `chargeIds`. */
  | 'order_already_paid'
  /** The order's pack is no longer on offer. */
  | 'pack_unavailable'
  /** The pack's price or credits changed since the invoice; details: `stars`, `credits` now. */
  | 'price_changed'
  /** Currency or amount differ from the order's; details: `currency`, `totalAmount`, `expected`. */
  | 'payment_mismatch'
  /** This Telegram charge was recorded already. */
  | 'duplicate_payment'
  | 'unknown_payment'
  | 'payment_already_refunded';

export type UserRejection = DomainRejection<UserRejectionCode>;
