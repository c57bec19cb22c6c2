// Plain shapes the texts are rendered from, so the messages stay free of database types.

/** A progress message names one of the generation's stages; each has a name in every language. */
export type { GenerationStage as ProgressStageName } from '../../domain/generation/stages.js';

export type MissingStep = 'format' | 'background_video' | 'character' | 'voice' | 'script';

export interface StatsView {
  readonly total: number;
  readonly completed: number;
  readonly failed: number;
  readonly creditsSpent: number;
}

export interface GenerationView {
  readonly date: string;
  readonly format: string;
  readonly status: string;
  readonly script: string;
  readonly refunded: boolean;
  /**
   * Telegram would not take the video (its delivery was abandoned): it is only here, to download.
   */
  readonly undelivered?: boolean;
}

export interface CreditOpView {
  readonly kind: 'grant' | 'revoke' | 'spend' | 'refund';
  readonly delta: number;
  readonly reason: string;
  readonly date: string;
}

/** A Stars payment as the user's payment-support page lists it. */
export interface PaymentView {
  readonly chargeId: string;
  readonly stars: number;
  readonly credits: number;
  readonly refunded: boolean;
}

/** Why a checkout is refused before any Stars are taken. */
export type CheckoutRefusal =
  | 'unknown_order'
  | 'order_already_paid'
  | 'pack_unavailable'
  | 'price_changed'
  | 'payment_mismatch'
  | 'failed';

export interface StatsDay {
  readonly label: 'today' | 'yesterday';
  readonly day: string;
  readonly row: Readonly<Record<string, number>> | null;
}

/** What a wizard step needs first (the domain's step requirements). */
export type StepNeed =
  'format' | 'background_format' | 'background_video' | 'gender' | 'character' | 'voice' | 'script';

/** Where the user stands in the wizard: the first missing part, or the confirmation. */
export type WizardPosition = MissingStep | 'confirm';
