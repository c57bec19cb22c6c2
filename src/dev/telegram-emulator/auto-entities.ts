import type { MessageEntity } from 'grammy/types';

const patterns: ReadonlyArray<readonly [MessageEntity['type'], RegExp]> = [
  ['bot_command', /(?<![\w/@])\/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w@/])/g],
  ['email', /(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?![\w-])/g],
  ['url', /\bhttps?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]]/g],
  ['mention', /(?<![\w@])@[A-Za-z][A-Za-z0-9_]{3,31}(?![\w@])/g],
  ['hashtag', /(?<![\w#])#[\p{L}\p{N}_]*\p{L}[\p{L}\p{N}_]*/gu],
];

/**
 * The entities Telegram detects by itself in messages users type. grammY's `bot.command()`
 * matches on the `bot_command` entity, not on the text, so simulated users need them.
 */
export function detectEntities(text: string): MessageEntity[] {
  const found: MessageEntity[] = [];
  for (const [type, pattern] of patterns) {
    for (const match of text.matchAll(pattern)) {
      const offset = match.index;
      const length = match[0].length;
      if (
        found.some(
          (other) => offset < other.offset + other.length && other.offset < offset + length,
        )
      )
        continue;
      found.push({ type, offset, length } as MessageEntity);
    }
  }
  return found.sort((a, b) => a.offset - b.offset);
}
