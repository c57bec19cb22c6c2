import type { PaymentRefunder } from '../events/user-events.js';
import type {
  AwaitedInputKind,
  CaptionStyle,
  Gender,
  Language,
  OverlayShape,
  VideoFormat,
} from '../events/values.js';

// Ids (grantId, spendId, editId…) arrive in commands: the domain has no randomness, and a retried
// command with the same ids decides the same way.

export interface RegisterUser {
  readonly type: 'RegisterUser';
  readonly telegramId: number;
  readonly username: string | null;
  readonly firstName: string | null;
  readonly language: Language;
  readonly welcomeCredits: number;
  readonly grantId: string;
}

export interface ChangeLanguage {
  readonly type: 'ChangeLanguage';
  readonly language: Language;
}

export interface GrantCredits {
  readonly type: 'GrantCredits';
  readonly amount: number;
  readonly reason: string;
  readonly grantId: string;
}

export interface RevokeCredits {
  readonly type: 'RevokeCredits';
  readonly amount: number;
  readonly reason: string;
  readonly revokeId: string;
}

export interface SpendCredits {
  readonly type: 'SpendCredits';
  readonly amount: number;
  readonly reason: string;
  readonly spendId: string;
  readonly generationId?: string | null;
}

export interface RefundCredits {
  readonly type: 'RefundCredits';
  readonly spendId: string;
  readonly reason: string;
}

export interface RequestTopUp {
  readonly type: 'RequestTopUp';
  readonly requestId: string;
  readonly amount: number | null;
  readonly note: string | null;
}

export interface SubmitFeedback {
  readonly type: 'SubmitFeedback';
  readonly feedbackId: string;
  readonly text: string;
  /** Characters of the trimmed text; unlimited when absent. */
  readonly maxLength?: number;
}

export interface AnswerFeedback {
  readonly type: 'AnswerFeedback';
  readonly feedbackId: string;
  readonly text: string;
  readonly adminId: number;
}

export interface AwaitInput {
  readonly type: 'AwaitInput';
  readonly input: AwaitedInputKind | null;
}

export interface SelectFormat {
  readonly type: 'SelectFormat';
  readonly format: VideoFormat;
}

export interface UploadBackgroundVideo {
  readonly type: 'UploadBackgroundVideo';
  readonly assetId: string;
  readonly storageKey: string;
  readonly durationSec: number;
  readonly sizeBytes: number;
  readonly width: number;
  readonly height: number;
  readonly mimeType: string;
  /**
   * The limit as the user is told it (`backgroundClipLimit.labelSec`); its tolerance is the
   * domain's.
   */
  readonly maxDurationSec: number;
  readonly maxSizeBytes: number;
}

export interface SelectOverlayShape {
  readonly type: 'SelectOverlayShape';
  readonly shape: OverlayShape;
}

export interface SelectCaptionStyle {
  readonly type: 'SelectCaptionStyle';
  readonly style: CaptionStyle;
}

export interface ChooseCharacterGender {
  readonly type: 'ChooseCharacterGender';
  readonly gender: Gender;
}

export interface SelectCharacter {
  readonly type: 'SelectCharacter';
  readonly characterId: string;
  readonly gender: Gender;
  readonly age: string;
  readonly imageKey: string;
}

export interface RequestCharacterEdit {
  readonly type: 'RequestCharacterEdit';
  readonly editId: string;
  readonly prompt: string;
  readonly maxIterations: number;
}

export interface RecordCharacterEdit {
  readonly type: 'RecordCharacterEdit';
  readonly editId: string;
  readonly imageKey: string;
  readonly provider: string;
}

export interface RecordCharacterEditFailure {
  readonly type: 'RecordCharacterEditFailure';
  readonly editId: string;
  readonly reason: string;
}

export interface AcceptCharacterEdit {
  readonly type: 'AcceptCharacterEdit';
  readonly editId: string;
}

export interface RevertCharacterEdit {
  readonly type: 'RevertCharacterEdit';
}

export interface SelectVoice {
  readonly type: 'SelectVoice';
  readonly voiceId: string;
  readonly provider: string;
  /** The languages the catalog says the voice speaks; recorded so the decision stays pure. */
  readonly languages?: readonly string[];
}

export interface WriteScript {
  readonly type: 'WriteScript';
  readonly text: string;
  /** Characters (code points) of the text as the user wrote it. */
  readonly maxLength: number;
  /** The Telegram message that carried the text, so a later edit of it can be recognised. */
  readonly messageId?: number | null;
}

/**
 * The user edited a message they sent: it replaces the draft's script if that message is the
 * script.
 */
export interface EditScript {
  readonly type: 'EditScript';
  readonly messageId: number;
  readonly text: string;
  readonly maxLength: number;
}

export interface RequestGeneration {
  readonly type: 'RequestGeneration';
  readonly generationId: string;
  readonly cost: number;
  /**
   * The message whose Generate button was pressed: it becomes the progress message, on any
   * instance.
   */
  readonly progressMessage?: { readonly chatId: number; readonly messageId: number };
}

/** Records the order an invoice is sent for; `packId`, credits and price as configured now. */
export interface IssueStarsInvoice {
  readonly type: 'IssueStarsInvoice';
  readonly orderId: string;
  readonly packId: string;
  readonly credits: number;
  readonly stars: number;
}

/** A `successful_payment`: Telegram took the Stars, so the order's credits are granted. */
export interface ReceiveStarsPayment {
  readonly type: 'ReceiveStarsPayment';
  readonly chargeId: string;
  /** The order the invoice payload names; null when the payload names none. */
  readonly orderId: string | null;
  readonly currency: string;
  readonly totalAmount: number;
}

/** The payment's Stars went (or go) back to the user: takes back the credits the policy allows. */
export interface RefundStarsPayment {
  readonly type: 'RefundStarsPayment';
  readonly chargeId: string;
  readonly refundedBy: PaymentRefunder;
}

export type UserCommand =
  | RegisterUser
  | ChangeLanguage
  | GrantCredits
  | RevokeCredits
  | SpendCredits
  | RefundCredits
  | RequestTopUp
  | SubmitFeedback
  | AnswerFeedback
  | AwaitInput
  | SelectFormat
  | UploadBackgroundVideo
  | SelectOverlayShape
  | SelectCaptionStyle
  | ChooseCharacterGender
  | SelectCharacter
  | RequestCharacterEdit
  | RecordCharacterEdit
  | RecordCharacterEditFailure
  | AcceptCharacterEdit
  | RevertCharacterEdit
  | SelectVoice
  | WriteScript
  | EditScript
  | RequestGeneration
  | IssueStarsInvoice
  | ReceiveStarsPayment
  | RefundStarsPayment;

export type UserCommandType = UserCommand['type'];
