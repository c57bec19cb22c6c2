import { z } from 'zod';
import type { DomainEvent } from '../decider.js';
import {
  awaitedInputSchema,
  captionStyleSchema,
  genderSchema,
  idSchema,
  languageSchema,
  overlayShapeSchema,
  positiveAmountSchema,
  progressMessageRefSchema,
  telegramIdSchema,
  videoFormatSchema,
} from './values.js';
import { languageTagPattern } from '../language/language-tags.js';

// Events of the `user-{telegramId}` stream: the account, its credits and the wizard's draft.
// Schemas are the current (v1) shapes; older shapes are upcast in `upcasters.ts`.

export const userRegisteredV1 = z.object({
  telegramId: telegramIdSchema,
  username: z.string().nullable(),
  firstName: z.string().nullable(),
  language: languageSchema,
});

export const languageChangedV1 = z.object({ language: languageSchema });

export const creditsGrantedV1 = z.object({
  amount: positiveAmountSchema,
  reason: z.string().min(1),
  grantId: idSchema,
});

export const creditsRevokedV1 = z.object({
  amount: positiveAmountSchema,
  reason: z.string().min(1),
  revokeId: idSchema,
});

export const creditsSpentV1 = z.object({
  amount: positiveAmountSchema,
  reason: z.string().min(1),
  spendId: idSchema,
  generationId: idSchema.nullable(),
});

export const creditsRefundedV1 = z.object({
  amount: positiveAmountSchema,
  reason: z.string().min(1),
  spendId: idSchema,
  generationId: idSchema.nullable(),
});

export const topUpRequestedV1 = z.object({
  requestId: idSchema,
  amount: positiveAmountSchema.nullable(),
  note: z.string().nullable(),
});

export const feedbackSubmittedV1 = z.object({ feedbackId: idSchema, text: z.string().min(1) });

export const feedbackAnsweredV1 = z.object({
  feedbackId: idSchema,
  text: z.string().min(1),
  adminId: z.int(),
});

export const inputAwaitedV1 = z.object({ input: awaitedInputSchema.nullable() });

export const formatSelectedV1 = z.object({ format: videoFormatSchema });

export const backgroundVideoUploadedV1 = z.object({
  assetId: idSchema,
  storageKey: z.string().min(1),
  durationSec: z.number().positive(),
  sizeBytes: z.int().positive(),
  width: z.int().positive(),
  height: z.int().positive(),
  mimeType: z.string().min(1),
});

export const overlayShapeSelectedV1 = z.object({ shape: overlayShapeSchema });

/** The captions the user picked from the preview; kept for later videos like the voice. */
export const captionStyleSelectedV1 = z.object({ style: captionStyleSchema });

export const characterGenderChosenV1 = z.object({ gender: genderSchema });

export const characterSelectedV1 = z.object({
  characterId: idSchema,
  gender: genderSchema,
  age: z.string(),
  imageKey: z.string().min(1),
});

export const characterEditRequestedV1 = z.object({
  editId: idSchema,
  prompt: z.string().min(1),
  iteration: z.int().min(1),
});

export const characterEditedV1 = z.object({
  editId: idSchema,
  imageKey: z.string().min(1),
  iteration: z.int().min(1),
  provider: z.string().min(1),
});

export const characterEditFailedV1 = z.object({ editId: idSchema, reason: z.string() });

export const characterEditAcceptedV1 = z.object({ editId: idSchema });

export const characterEditRevertedV1 = z.object({});

export const voiceSelectedV1 = z.object({
  voiceId: idSchema,
  provider: z.string().min(1),
  /**
   * The languages the voice speaks, as the catalog said when it was chosen, so deciding whether it
   * can read a script needs no catalog (optional: added after v1 shipped; see `voiceLanguagesOf`).
   */
  languages: z.array(z.string().regex(languageTagPattern)).optional(),
});

export const scriptWrittenV1 = z.object({
  text: z.string().min(1),
  speechText: z.string().min(1),
  /** The user's message that carried the script (optional: added after v1 shipped). */
  messageId: z.int().positive().optional(),
});

export const generationRequestedV1 = z.object({
  generationId: idSchema,
  format: videoFormatSchema,
  characterId: idSchema,
  characterImageKey: z.string().min(1),
  characterGender: genderSchema,
  characterAge: z.string(),
  voiceId: idSchema,
  voiceProvider: z.string().min(1),
  script: z.string().min(1),
  speechText: z.string().min(1),
  backgroundVideoKey: z.string().min(1).nullable(),
  overlayShape: overlayShapeSchema.nullable(),
  cost: positiveAmountSchema,
  /**
   * The confirmation message that becomes the progress message (optional: added after v1 shipped).
   */
  progressMessage: progressMessageRefSchema.optional(),
  /**
   * The captions burned in (optional: added after v1 shipped). Absent: the format's old behaviour,
   * `defaultCaptionStyle` (classic for the background format, none for the talking head).
   */
  captionStyle: captionStyleSchema.optional(),
});

/** Telegram Stars' currency code: digital goods in bots are sold for Stars only. */
export const STARS_CURRENCY = 'XTR';

/**
 * An order for a credit pack, created when its invoice is sent; the invoice payload names
 * `orderId`.
 */
export const starsInvoiceIssuedV1 = z.object({
  orderId: idSchema,
  /**
   * The pack as configured when the invoice was sent (its credits), so a later change is noticed.
   */
  packId: idSchema,
  credits: positiveAmountSchema,
  stars: positiveAmountSchema,
});

/** Telegram took the Stars (a `successful_payment`); appended with the CreditsGranted it buys. */
export const starsPaymentReceivedV1 = z.object({
  /** `telegram_payment_charge_id`: the payment's identity at Telegram, and the refund's handle. */
  chargeId: idSchema,
  orderId: idSchema,
  packId: idSchema,
  credits: positiveAmountSchema,
  stars: positiveAmountSchema,
  currency: z.literal(STARS_CURRENCY),
});

export const paymentRefunderSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('admin'), adminId: z.int() }),
  /** A refund Telegram made on its own (its support) and reported as `refunded_payment`. */
  z.object({ kind: z.literal('telegram_support') }),
]);
export type PaymentRefunder = z.infer<typeof paymentRefunderSchema>;

/** The Stars went back to the user; appended with the CreditsRevoked it takes back, when any. */
export const starsPaymentRefundedV1 = z.object({
  chargeId: idSchema,
  orderId: idSchema,
  stars: positiveAmountSchema,
  /** What the refund policy took back: the credits bought, but never more than the balance held. */
  creditsTakenBack: z.int().nonnegative(),
  refundedBy: paymentRefunderSchema,
});

export const userEventSchemas = {
  UserRegistered: userRegisteredV1,
  LanguageChanged: languageChangedV1,
  CreditsGranted: creditsGrantedV1,
  CreditsRevoked: creditsRevokedV1,
  CreditsSpent: creditsSpentV1,
  CreditsRefunded: creditsRefundedV1,
  TopUpRequested: topUpRequestedV1,
  FeedbackSubmitted: feedbackSubmittedV1,
  FeedbackAnswered: feedbackAnsweredV1,
  InputAwaited: inputAwaitedV1,
  FormatSelected: formatSelectedV1,
  BackgroundVideoUploaded: backgroundVideoUploadedV1,
  OverlayShapeSelected: overlayShapeSelectedV1,
  CaptionStyleSelected: captionStyleSelectedV1,
  CharacterGenderChosen: characterGenderChosenV1,
  CharacterSelected: characterSelectedV1,
  CharacterEditRequested: characterEditRequestedV1,
  CharacterEdited: characterEditedV1,
  CharacterEditFailed: characterEditFailedV1,
  CharacterEditAccepted: characterEditAcceptedV1,
  CharacterEditReverted: characterEditRevertedV1,
  VoiceSelected: voiceSelectedV1,
  ScriptWritten: scriptWrittenV1,
  GenerationRequested: generationRequestedV1,
  StarsInvoiceIssued: starsInvoiceIssuedV1,
  StarsPaymentReceived: starsPaymentReceivedV1,
  StarsPaymentRefunded: starsPaymentRefundedV1,
} as const;

export type UserEventType = keyof typeof userEventSchemas;
export type UserEventData<T extends UserEventType> = z.infer<(typeof userEventSchemas)[T]>;
export type UserEventOf<T extends UserEventType> = DomainEvent<T, UserEventData<T>>;
export type UserEvent = { [T in UserEventType]: UserEventOf<T> }[UserEventType];

export type UserRegistered = UserEventOf<'UserRegistered'>;
export type LanguageChanged = UserEventOf<'LanguageChanged'>;
export type CreditsGranted = UserEventOf<'CreditsGranted'>;
export type CreditsRevoked = UserEventOf<'CreditsRevoked'>;
export type CreditsSpent = UserEventOf<'CreditsSpent'>;
export type CreditsRefunded = UserEventOf<'CreditsRefunded'>;
export type TopUpRequested = UserEventOf<'TopUpRequested'>;
export type FeedbackSubmitted = UserEventOf<'FeedbackSubmitted'>;
export type FeedbackAnswered = UserEventOf<'FeedbackAnswered'>;
export type InputAwaited = UserEventOf<'InputAwaited'>;
export type FormatSelected = UserEventOf<'FormatSelected'>;
export type BackgroundVideoUploaded = UserEventOf<'BackgroundVideoUploaded'>;
export type OverlayShapeSelected = UserEventOf<'OverlayShapeSelected'>;
export type CaptionStyleSelected = UserEventOf<'CaptionStyleSelected'>;
export type CharacterGenderChosen = UserEventOf<'CharacterGenderChosen'>;
export type CharacterSelected = UserEventOf<'CharacterSelected'>;
export type CharacterEditRequested = UserEventOf<'CharacterEditRequested'>;
export type CharacterEdited = UserEventOf<'CharacterEdited'>;
export type CharacterEditFailed = UserEventOf<'CharacterEditFailed'>;
export type CharacterEditAccepted = UserEventOf<'CharacterEditAccepted'>;
export type CharacterEditReverted = UserEventOf<'CharacterEditReverted'>;
export type VoiceSelected = UserEventOf<'VoiceSelected'>;
export type ScriptWritten = UserEventOf<'ScriptWritten'>;
export type GenerationRequested = UserEventOf<'GenerationRequested'>;
export type GenerationRequestedData = UserEventData<'GenerationRequested'>;
export type StarsInvoiceIssued = UserEventOf<'StarsInvoiceIssued'>;
export type StarsPaymentReceived = UserEventOf<'StarsPaymentReceived'>;
export type StarsPaymentRefunded = UserEventOf<'StarsPaymentRefunded'>;
