import { starterCharacters } from '../../catalog/starter/starter-characters.js';
import type { DraftCharacter } from '../../domain/user/state.js';
import type { Character } from '../../ports/catalog.js';
import type { BotDeps } from '../bot-deps.js';

const drawn = new Set(starterCharacters.map((c) => c.id));

/**
 * What the confirmation may promise about the lips: `true` with a provider that always lip-syncs
 * (the cloud), `'local'` when the local renderer will move this character's mouth (a drawn starter
 * character, or an imported photo whose face was located at import, in both cases as it is in the
 * catalog, not an AI edit of it), `false` otherwise. The renderer checks the picture itself, and
 * the video's caption says what was done.
 */
export function lipSyncPromise(
  provider: BotDeps['lipSync'],
  character: DraftCharacter | null,
  entry?: Pick<Character, 'faceLocated'>,
): boolean | 'local' {
  if (provider === true) return true;
  if (provider !== 'drawn-characters' || !character) return false;
  if (character.imageKey !== character.originalImageKey) return false;
  return drawn.has(character.characterId) || entry?.faceLocated === true ? 'local' : false;
}
