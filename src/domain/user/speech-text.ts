/**
 * The text a voice actually reads. Users paste scripts from chats and editors, so markup, emoji and
 * invisible characters arrive with them; a TTS engine would read `**` aloud or stumble on a flag.
 * Letters, marks, digits and punctuation of every script (Cyrillic, Arabic, Hebrew, Devanagari,
 * CJK…)
 * survive, so does the order of RTL text.
 */
export function toSpeechText(text: string): string {
  // Private-use characters are dropped first: the escape step below borrows that range.
  let out = text.normalize('NFC').replace(/[\p{Co}\u{feff}]/gu, '');
  out = protectEscapes(out);
  out = stripHtml(out);
  out = stripMarkdown(out);
  out = restoreEscapes(out);
  out = stripInvisibleAndEmoji(out);
  return out.replace(/\s+/gu, ' ').trim();
}

/** Whether the speech text has something to say: punctuation alone is silence. */
export const isSpeakable = (speechText: string): boolean => /[\p{L}\p{N}]/u.test(speechText);

// Telegram MarkdownV2 escapes markup characters with a backslash (`\*` is a literal star). They are
// parked in a private-use plane while markup is stripped, so the literal survives.
const ESCAPE_BASE = 0xf0000;
const protectEscapes = (text: string): string =>
  text.replace(/\\([!-/:-@[-`{-~])/gu, (_, char: string) =>
    String.fromCodePoint(ESCAPE_BASE + char.charCodeAt(0)),
  );
const restoreEscapes = (text: string): string =>
  text.replace(/[\u{f0021}-\u{f007e}]/gu, (char) =>
    String.fromCharCode((char.codePointAt(0) ?? ESCAPE_BASE) - ESCAPE_BASE),
  );

// Inline tags sit inside words (`<b>wo</b>rd`), block tags separate them.
const INLINE_TAGS = new Set([
  'a',
  'b',
  'strong',
  'i',
  'em',
  'u',
  'ins',
  's',
  'strike',
  'del',
  'code',
  'span',
  'tg-spoiler',
  'mark',
  'small',
]);

const ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

function stripHtml(text: string): string {
  return text
    .replace(/<!--[\s\S]*?-->/gu, ' ')
    .replace(/<\/?([a-z][a-z0-9-]*)(?:\s[^<>]*)?\/?>/giu, (_, name: string) =>
      INLINE_TAGS.has(name.toLowerCase()) ? '' : ' ',
    )
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/giu, (entity, body: string) => {
      if (body.startsWith('#')) {
        const code =
          body[1] === 'x' || body[1] === 'X'
            ? parseInt(body.slice(2), 16)
            : parseInt(body.slice(1), 10);
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ' ';
      }
      return ENTITIES[body.toLowerCase()] ?? entity;
    });
}

function stripMarkdown(text: string): string {
  return (
    text
      // fences: drop the ``` line markers (and a language tag), keep the code's words
      .replace(/^[ \t]*(?:```|~~~)[^\n]*$/gmu, ' ')
      // images and links read as their visible text
      .replace(/!\[([^\]]*)\]\([^)]*\)/gu, '$1')
      .replace(/\[([^\]]+)\]\([^)]*\)/gu, '$1')
      // line-start markup: headings, quotes, bullets, horizontal rules
      .replace(/^[ \t]*#{1,6}[ \t]+/gmu, '')
      .replace(/^[ \t]*(?:>[ \t]?)+/gmu, '')
      .replace(/^[ \t]*[-*+•][ \t]+/gmu, '')
      .replace(/^[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*$/gmu, ' ')
      // emphasis markers joining two words (`snake_case`, `a*b`) become a pause, others vanish
      .replace(/(?<=[\p{L}\p{N}])[*_]+(?=[\p{L}\p{N}])/gu, ' ')
      .replace(/[*_`]+|~{1,2}|\|\|/gu, '')
  );
}

// Emoji are pictographs plus the glue that builds sequences from them: skin tones, variation
// selectors, keycap marks, joiners, flag letters and tag characters. A keycap's digit stays.
const EMOJI =
  /[\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}\u{fe00}-\u{fe0f}\u{20e3}\u{e0020}-\u{e007f}]/gu;
// Everything not speakable: symbols other than currency and maths, format characters (zero-width
// spaces and joiners, bidi controls, BOM), private use, unassigned and lone surrogates.
const UNSPEAKABLE = /[^\p{L}\p{M}\p{N}\p{P}\p{Sc}\p{Sm}\s°№]/gu;

function stripInvisibleAndEmoji(text: string): string {
  return text
    .replace(EMOJI, '')
    .replace(/[\t\n\v\f\r\u0085\u2028\u2029]/gu, ' ')
    .replace(/\p{Cc}/gu, '')
    .replace(UNSPEAKABLE, '');
}
