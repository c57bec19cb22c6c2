import type { CharacterAge, CharacterGender } from '../../ports/catalog.js';

export type HairStyle =
  | 'short'
  | 'side-part'
  | 'quiff'
  | 'buzz'
  | 'curly'
  | 'bald'
  | 'long'
  | 'bob'
  | 'bun'
  | 'ponytail'
  | 'afro'
  | 'short-waves';

export type Clothing = 'tshirt' | 'shirt' | 'hoodie' | 'blazer' | 'cardigan' | 'turtleneck';

/** Everything that makes one illustrated person; the starter catalog lists them. */
export interface PortraitSpec {
  readonly gender: CharacterGender;
  readonly age: CharacterAge;
  readonly skin: string;
  readonly hair: { readonly style: HairStyle; readonly colour: string };
  readonly eyes: string;
  readonly clothing: { readonly style: Clothing; readonly colour: string; readonly accent: string };
  readonly backdrop: string;
  readonly facialHair?: 'beard' | 'moustache' | 'stubble';
  readonly glasses?: { readonly frame: string; readonly shape: 'round' | 'square' };
  readonly earrings?: string;
  readonly lips?: string;
  readonly smile: 'open' | 'closed';
}
