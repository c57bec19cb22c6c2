import type {
  AwaitedInputKind,
  CaptionStyle,
  Gender,
  Language,
  OverlayShape,
  VideoFormat,
} from '../events/values.js';

// Plain objects and arrays rather than Map/Set: the state may be cached or snapshotted as JSON.

export interface SpendRecord {
  readonly amount: number;
  readonly refunded: boolean;
  readonly generationId: string | null;
}

export interface BackgroundVideo {
  readonly assetId: string;
  readonly storageKey: string;
  readonly durationSec: number;
  readonly sizeBytes: number;
  readonly width: number;
  readonly height: number;
  readonly mimeType: string;
}

export interface PendingEdit {
  readonly editId: string;
  readonly prompt: string;
  readonly iteration: number;
}

export interface LastEdit {
  readonly editId: string;
  readonly iteration: number;
  readonly accepted: boolean;
}

export interface DraftCharacter {
  readonly characterId: string;
  readonly gender: Gender;
  readonly age: string;
  readonly originalImageKey: string;
  /** The image a generation uses: the original, or the latest edit (edits build on each other). */
  readonly imageKey: string;
  /** Successful edits of this character; a failed edit costs the user no iteration. */
  readonly editIterations: number;
  readonly pendingEdit: PendingEdit | null;
  readonly lastEdit: LastEdit | null;
}

export interface WizardDraft {
  readonly format: VideoFormat | null;
  readonly backgroundVideo: BackgroundVideo | null;
  readonly overlayShape: OverlayShape | null;
  readonly gender: Gender | null;
  readonly character: DraftCharacter | null;
  /** `languages` empty: not known (chosen before they were recorded), so not judged. */
  readonly voice: {
    readonly voiceId: string;
    readonly provider: string;
    readonly languages: readonly string[];
  } | null;
  readonly script: DraftScript | null;
  /** Null: never picked, so a generation gets its format's default (`defaultCaptionStyle`). */
  readonly captionStyle: CaptionStyle | null;
}

export interface DraftScript {
  readonly text: string;
  readonly speechText: string;
  /** The user's Telegram message that carried it, so an edit of that message can update it. */
  readonly messageId: number | null;
}

/** A script message a generation was made from: editing it later cannot change that video. */
export interface UsedScript {
  readonly messageId: number;
  readonly generationId: string;
}

/** A credit pack order (its invoice was sent); `paidBy` lists the charges that paid it. */
export interface StarsOrder {
  readonly packId: string;
  readonly credits: number;
  readonly stars: number;
  readonly paidBy: readonly string[];
}

/** A Stars payment received, keyed by its Telegram charge id. */
export interface StarsPayment {
  readonly orderId: string;
  readonly credits: number;
  readonly stars: number;
  readonly refunded: boolean;
}

export interface UserState {
  readonly registered: boolean;
  readonly telegramId: number | null;
  readonly username: string | null;
  readonly firstName: string | null;
  readonly language: Language;
  readonly balance: number;
  /** Keyed by spendId; read through `findSpend` so ids like `__proto__` are harmless. */
  readonly spends: Readonly<Record<string, SpendRecord>>;
  readonly draft: WizardDraft;
  readonly awaitedInput: AwaitedInputKind | null;
  readonly openFeedbackIds: readonly string[];
  readonly answeredFeedbackIds: readonly string[];
  readonly generationIds: readonly string[];
  readonly usedScripts: readonly UsedScript[];
  /** Keyed by order id; read through `findStarsOrder`. */
  readonly starsOrders: Readonly<Record<string, StarsOrder>>;
  /** Keyed by Telegram charge id; read through `findStarsPayment`. */
  readonly starsPayments: Readonly<Record<string, StarsPayment>>;
}

export const emptyDraft: WizardDraft = {
  format: null,
  backgroundVideo: null,
  overlayShape: null,
  gender: null,
  character: null,
  voice: null,
  script: null,
  captionStyle: null,
};

export const initialUserState: UserState = {
  registered: false,
  telegramId: null,
  username: null,
  firstName: null,
  language: 'ru',
  balance: 0,
  spends: {},
  draft: emptyDraft,
  awaitedInput: null,
  openFeedbackIds: [],
  answeredFeedbackIds: [],
  generationIds: [],
  usedScripts: [],
  starsOrders: {},
  starsPayments: {},
};

export const findSpend = (state: UserState, spendId: string): SpendRecord | undefined =>
  Object.hasOwn(state.spends, spendId) ? state.spends[spendId] : undefined;

export const findStarsOrder = (state: UserState, orderId: string): StarsOrder | undefined =>
  Object.hasOwn(state.starsOrders, orderId) ? state.starsOrders[orderId] : undefined;

export const findStarsPayment = (state: UserState, chargeId: string): StarsPayment | undefined =>
  Object.hasOwn(state.starsPayments, chargeId) ? state.starsPayments[chargeId] : undefined;

export type MissingDraftField = 'format' | 'background_video' | 'character' | 'voice' | 'script';

/** What the wizard still needs before a generation can be requested, in wizard order. */
export function missingDraftFields(draft: WizardDraft): MissingDraftField[] {
  const missing: MissingDraftField[] = [];
  if (draft.format === null) missing.push('format');
  if (draft.format === 'background' && draft.backgroundVideo === null)
    missing.push('background_video');
  if (draft.character === null) missing.push('character');
  if (draft.voice === null) missing.push('voice');
  if (draft.script === null) missing.push('script');
  return missing;
}
