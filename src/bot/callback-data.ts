import { z } from 'zod';
import { voiceRefPattern } from './voice-ref.js';

/**
 * Inline-button payloads: `v1|<kind>|<args…>`, at most 64 bytes (Telegram's limit). Buttons live
 * on in chats for months, so every payload is versioned, validated on the way in, and carries
 * everything its handler needs — nothing is looked up in memory. Anything that does not parse
 * is "outdated": the user gets a polite answer and a fresh menu.
 */
export const CALLBACK_VERSION = 'v1';
export const MAX_CALLBACK_BYTES = 64;

export type Screen =
  | 'main'
  | 'help'
  | 'profile'
  | 'credits'
  | 'feedback'
  | 'create'
  | 'background'
  | 'shape'
  | 'gender'
  | 'gallery'
  | 'character'
  | 'voices'
  | 'script'
  | 'captions'
  | 'confirm'
  | 'history';

export type FormatCode = 'talking_head' | 'background';
export type GenderCode = 'male' | 'female';
export type ShapeCode = 'circle' | 'rounded_rect' | 'cutout';
export type CaptionStyleCode = 'none' | 'classic' | 'bold' | 'boxed';

export type CallbackAction =
  | { readonly kind: 'screen'; readonly screen: Screen }
  | { readonly kind: 'example'; readonly format: FormatCode }
  | { readonly kind: 'format'; readonly format: FormatCode }
  | { readonly kind: 'shape'; readonly shape: ShapeCode }
  | { readonly kind: 'captions'; readonly style: CaptionStyleCode }
  | { readonly kind: 'gender'; readonly gender: GenderCode }
  | { readonly kind: 'gallery'; readonly gender: GenderCode; readonly index: number }
  | { readonly kind: 'character'; readonly gender: GenderCode; readonly index: number }
  | { readonly kind: 'edit'; readonly op: 'start' | 'again' | 'revert' }
  | { readonly kind: 'editAccept'; readonly editId: string }
  | { readonly kind: 'voices'; readonly page: number }
  /**
   * `voiceRef`: the voice's id, or a digest of an id that does not fit a payload (see
   * voice-ref.ts).
   */
  | { readonly kind: 'voicePreview'; readonly voiceRef: string }
  | { readonly kind: 'voice'; readonly voiceRef: string }
  /**
   * A voice button of the first format, which named a place in a per-user order that changes with
   * the script: it cannot say which voice it showed, so it is answered with the gallery. Decoded
   * only.
   */
  | { readonly kind: 'voiceOutdated' }
  | { readonly kind: 'generate' }
  | { readonly kind: 'history'; readonly page: number }
  | { readonly kind: 'download'; readonly generationId: string }
  | { readonly kind: 'topUpMenu' }
  | { readonly kind: 'topUp'; readonly amount: number }
  /** Buy the Stars pack of so many credits (credits name a pack). */
  | { readonly kind: 'buyPack'; readonly credits: number }
  | { readonly kind: 'language'; readonly language: 'ru' | 'en' }
  | { readonly kind: 'feedbackReply'; readonly userId: number; readonly feedbackId: string };

export type CallbackKind = CallbackAction['kind'];
export type CallbackOf<K extends CallbackKind> = Extract<CallbackAction, { kind: K }>;

const screenCodes = {
  main: 'm',
  help: 'h',
  profile: 'p',
  credits: 'cr',
  feedback: 'fb',
  create: 'f',
  background: 'bg',
  shape: 'sh',
  gender: 'g',
  gallery: 'ga',
  character: 'ch',
  voices: 'vo',
  script: 'sc',
  captions: 'cs',
  confirm: 'ok',
  history: 'hi',
} as const satisfies Record<Screen, string>;

const formatCodes = { talking_head: 't', background: 'b' } as const satisfies Record<
  FormatCode,
  string
>;
const genderCodes = { male: 'm', female: 'f' } as const satisfies Record<GenderCode, string>;
const shapeCodes = { circle: 'c', rounded_rect: 'r', cutout: 'x' } as const satisfies Record<
  ShapeCode,
  string
>;
const captionStyleCodes = {
  none: 'n',
  classic: 'c',
  bold: 'b',
  boxed: 'x',
} as const satisfies Record<CaptionStyleCode, string>;

const invert = <K extends string, V extends string>(record: Record<K, V>): Record<V, K> =>
  Object.fromEntries(Object.entries(record).map(([key, value]) => [value, key])) as Record<V, K>;

const decodeEnum = <K extends string, V extends string>(record: Record<K, V>) => {
  const inverse = invert(record);
  return z.enum(Object.values(record) as [V, ...V[]]).transform((code) => inverse[code]);
};

const screen = decodeEnum(screenCodes);
const format = decodeEnum(formatCodes);
const gender = decodeEnum(genderCodes);
const shape = decodeEnum(shapeCodes);
const captionStyle = decodeEnum(captionStyleCodes);
/** Small non-negative integers in canonical spelling (no `007`, no `1e3`). */
const index = z
  .string()
  .regex(/^(0|[1-9]\d{0,3})$/)
  .transform(Number);
const amount = z
  .string()
  .regex(/^[1-9]\d{0,3}$/)
  .transform(Number);
const packCredits = z
  .string()
  .regex(/^[1-9]\d{0,5}$/)
  .transform(Number);
const telegramId = z
  .string()
  .regex(/^[1-9]\d{0,15}$/)
  .transform(Number)
  .refine(Number.isSafeInteger);
const id = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/);
const voiceRef = z.string().regex(voiceRefPattern);
const v = z.literal(CALLBACK_VERSION);
const lit = <T extends string>(value: T) => z.literal(value);

/**
 * Every payload shape, under the tag that follows the version: decoding tries only the shapes of
 * its own tag (a union of all of them made every tap and every button pay for each one's failure).
 */
const variants: readonly (readonly [readonly string[], z.ZodType<CallbackAction>])[] = [
  [
    ['n'],
    z
      .tuple([v, lit('n'), screen])
      .transform(([, , s]): CallbackAction => ({ kind: 'screen', screen: s })),
  ],
  [
    ['ex'],
    z
      .tuple([v, lit('ex'), format])
      .transform(([, , f]): CallbackAction => ({ kind: 'example', format: f })),
  ],
  [
    ['f'],
    z
      .tuple([v, lit('f'), format])
      .transform(([, , f]): CallbackAction => ({ kind: 'format', format: f })),
  ],
  [
    ['s'],
    z
      .tuple([v, lit('s'), shape])
      .transform(([, , s]): CallbackAction => ({ kind: 'shape', shape: s })),
  ],
  [
    ['cs'],
    z
      .tuple([v, lit('cs'), captionStyle])
      .transform(([, , s]): CallbackAction => ({ kind: 'captions', style: s })),
  ],
  [
    ['g'],
    z
      .tuple([v, lit('g'), gender])
      .transform(([, , g]): CallbackAction => ({ kind: 'gender', gender: g })),
  ],
  [
    ['cp'],
    z
      .tuple([v, lit('cp'), gender, index])
      .transform(([, , g, i]): CallbackAction => ({ kind: 'gallery', gender: g, index: i })),
  ],
  [
    ['c'],
    z
      .tuple([v, lit('c'), gender, index])
      .transform(([, , g, i]): CallbackAction => ({ kind: 'character', gender: g, index: i })),
  ],
  [
    ['e'],
    z.tuple([v, lit('e'), z.enum(['o', 'g', 'r'])]).transform(([, , op]): CallbackAction => ({
      kind: 'edit',
      op: op === 'o' ? 'start' : op === 'g' ? 'again' : 'revert',
    })),
  ],
  [
    ['ea'],
    z
      .tuple([v, lit('ea'), id])
      .transform(([, , e]): CallbackAction => ({ kind: 'editAccept', editId: e })),
  ],
  [
    ['vp'],
    z
      .tuple([v, lit('vp'), index])
      .transform(([, , p]): CallbackAction => ({ kind: 'voices', page: p })),
  ],
  [
    ['vh'],
    z
      .tuple([v, lit('vh'), voiceRef])
      .transform(([, , r]): CallbackAction => ({ kind: 'voicePreview', voiceRef: r })),
  ],
  [
    ['vi'],
    z
      .tuple([v, lit('vi'), voiceRef])
      .transform(([, , r]): CallbackAction => ({ kind: 'voice', voiceRef: r })),
  ],
  [
    ['vl', 'v'],
    z
      .tuple([v, z.enum(['vl', 'v']), index])
      .transform((): CallbackAction => ({ kind: 'voiceOutdated' })),
  ],
  [['go'], z.tuple([v, lit('go')]).transform((): CallbackAction => ({ kind: 'generate' }))],
  [
    ['h'],
    z
      .tuple([v, lit('h'), index])
      .transform(([, , p]): CallbackAction => ({ kind: 'history', page: p })),
  ],
  [
    ['d'],
    z
      .tuple([v, lit('d'), id])
      .transform(([, , g]): CallbackAction => ({ kind: 'download', generationId: g })),
  ],
  [['t'], z.tuple([v, lit('t')]).transform((): CallbackAction => ({ kind: 'topUpMenu' }))],
  [
    ['t'],
    z
      .tuple([v, lit('t'), amount])
      .transform(([, , a]): CallbackAction => ({ kind: 'topUp', amount: a })),
  ],
  [
    ['sp'],
    z
      .tuple([v, lit('sp'), packCredits])
      .transform(([, , c]): CallbackAction => ({ kind: 'buyPack', credits: c })),
  ],
  [
    ['l'],
    z
      .tuple([v, lit('l'), z.enum(['ru', 'en'])])
      .transform(([, , l]): CallbackAction => ({ kind: 'language', language: l })),
  ],
  [
    ['fr'],
    z.tuple([v, lit('fr'), telegramId, id]).transform(([, , u, f]): CallbackAction => ({
      kind: 'feedbackReply',
      userId: u,
      feedbackId: f,
    })),
  ],
];

const shapesByTag = new Map<string, z.ZodType<CallbackAction>[]>();
for (const [tags, shape] of variants) {
  for (const tag of tags) shapesByTag.set(tag, [...(shapesByTag.get(tag) ?? []), shape]);
}

/** The action a payload names, or null for anything unknown, forged, or from an older version. */
export function decodeCallback(data: string | undefined): CallbackAction | null {
  if (data === undefined || Buffer.byteLength(data, 'utf8') > MAX_CALLBACK_BYTES) return null;
  const parts = data.split('|');
  for (const shape of shapesByTag.get(parts[1] ?? '') ?? []) {
    const parsed = shape.safeParse(parts);
    if (parsed.success) return parsed.data;
  }
  return null;
}

export function encodeCallback(action: CallbackAction): string {
  const parts: (string | number)[] = [CALLBACK_VERSION];
  switch (action.kind) {
    case 'screen':
      parts.push('n', screenCodes[action.screen]);
      break;
    case 'example':
      parts.push('ex', formatCodes[action.format]);
      break;
    case 'format':
      parts.push('f', formatCodes[action.format]);
      break;
    case 'shape':
      parts.push('s', shapeCodes[action.shape]);
      break;
    case 'captions':
      parts.push('cs', captionStyleCodes[action.style]);
      break;
    case 'gender':
      parts.push('g', genderCodes[action.gender]);
      break;
    case 'gallery':
      parts.push('cp', genderCodes[action.gender], action.index);
      break;
    case 'character':
      parts.push('c', genderCodes[action.gender], action.index);
      break;
    case 'edit':
      parts.push('e', action.op === 'start' ? 'o' : action.op === 'again' ? 'g' : 'r');
      break;
    case 'editAccept':
      parts.push('ea', action.editId);
      break;
    case 'voices':
      parts.push('vp', action.page);
      break;
    case 'voicePreview':
      parts.push('vh', action.voiceRef);
      break;
    case 'voice':
      parts.push('vi', action.voiceRef);
      break;
    case 'voiceOutdated':
      throw new RangeError('old-format voice buttons are answered, never made');
    case 'generate':
      parts.push('go');
      break;
    case 'history':
      parts.push('h', action.page);
      break;
    case 'download':
      parts.push('d', action.generationId);
      break;
    case 'topUpMenu':
      parts.push('t');
      break;
    case 'topUp':
      parts.push('t', action.amount);
      break;
    case 'buyPack':
      parts.push('sp', action.credits);
      break;
    case 'language':
      parts.push('l', action.language);
      break;
    case 'feedbackReply':
      parts.push('fr', action.userId, action.feedbackId);
      break;
    default:
      return unreachable(action);
  }
  const data = parts.join('|');
  // A payload that would not decode is a programming error: fail loudly here, not at the user.
  const decoded = decodeCallback(data);
  if (decoded === null || !sameAction(decoded, action)) {
    throw new RangeError(`callback data does not round-trip: ${JSON.stringify(action)} → ${data}`);
  }
  return data;
}

function sameAction(a: CallbackAction, b: CallbackAction): boolean {
  const left = a as unknown as Record<string, unknown>;
  const right = b as unknown as Record<string, unknown>;
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  return [...keys].every((key) => left[key] === right[key]);
}

function unreachable(action: never): never {
  throw new Error(`unknown callback action ${JSON.stringify(action)}`);
}

/** Shorthand for keyboards. */
export const cb = encodeCallback;
