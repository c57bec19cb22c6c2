import type { CharacterAge, CharacterGender } from '../../ports/catalog.js';
import type { PortraitSpec } from '../portraits/portrait-spec.js';

export interface StarterCharacter {
  /** Stored in events and callback data: never reuse an id for a different person. */
  readonly id: string;
  readonly name: string;
  readonly gender: CharacterGender;
  readonly age: CharacterAge;
  readonly portrait: PortraitSpec;
}

const skin = {
  porcelain: '#f6d5bf',
  light: '#efc3a0',
  warm: '#e8b68e',
  medium: '#d59a70',
  olive: '#c08458',
  brown: '#9c6440',
  deep: '#6e432a',
} as const;

// Light, plain and saturated enough that eye whites, teeth and grey hair stay clear of them
// (the colour-key cut-out would punch holes there); `starter-characters.test.ts` checks it.
const backdrop = { sky: '#9cc8f2', mint: '#98dcc8', lilac: '#bea0ea', apricot: '#f6c38e' } as const;

const eyes = {
  brown: '#5b3a29',
  dark: '#2e1e14',
  blue: '#3c6e9e',
  green: '#4e7a4a',
  hazel: '#8a6a3a',
} as const;
const grey = '#9a9a9f';

function character(
  id: string,
  name: string,
  portrait: Omit<PortraitSpec, 'smile'> & { smile?: PortraitSpec['smile'] },
): StarterCharacter {
  return {
    id,
    name,
    gender: portrait.gender,
    age: portrait.age,
    portrait: { smile: 'open', ...portrait },
  };
}

/**
 * The starter cast: both genders, three ages, a range of skin tones and styles. The order is
 * the gallery's order, mixing ages so that every page shows young and old alike.
 */
export const starterCharacters: readonly StarterCharacter[] = [
  character('m-young-daniel', 'Daniel', {
    gender: 'male',
    age: 'young',
    skin: skin.light,
    eyes: eyes.brown,
    backdrop: backdrop.sky,
    hair: { style: 'short', colour: '#5a3a22' },
    clothing: { style: 'hoodie', colour: '#e4572e', accent: '#f2ede6' },
  }),
  character('m-adult-ivan', 'Ivan', {
    gender: 'male',
    age: 'adult',
    skin: skin.light,
    eyes: eyes.blue,
    backdrop: backdrop.mint,
    hair: { style: 'side-part', colour: '#8a6a3e' },
    facialHair: 'beard',
    clothing: { style: 'shirt', colour: '#4a78b5', accent: '#f2ede6' },
  }),
  character('m-senior-victor', 'Victor', {
    gender: 'male',
    age: 'senior',
    skin: skin.light,
    eyes: eyes.hazel,
    backdrop: backdrop.sky,
    hair: { style: 'bald', colour: grey },
    facialHair: 'moustache',
    glasses: { frame: '#5a3d2b', shape: 'round' },
    clothing: { style: 'cardigan', colour: '#7a5c45', accent: '#a33b3b' },
    smile: 'closed',
  }),
  character('m-young-kwame', 'Kwame', {
    gender: 'male',
    age: 'young',
    skin: skin.deep,
    eyes: eyes.dark,
    backdrop: backdrop.mint,
    hair: { style: 'curly', colour: '#1f1a17' },
    clothing: { style: 'tshirt', colour: '#f2c14e', accent: '#c8932a' },
  }),
  character('m-adult-omar', 'Omar', {
    gender: 'male',
    age: 'adult',
    skin: skin.olive,
    eyes: eyes.dark,
    backdrop: backdrop.sky,
    hair: { style: 'buzz', colour: '#231815' },
    facialHair: 'stubble',
    clothing: { style: 'blazer', colour: '#2e3a59', accent: '#e8e2d6' },
  }),
  character('m-senior-samuel', 'Samuel', {
    gender: 'male',
    age: 'senior',
    skin: skin.brown,
    eyes: eyes.brown,
    backdrop: backdrop.lilac,
    hair: { style: 'short', colour: grey },
    facialHair: 'beard',
    clothing: { style: 'shirt', colour: '#8e3b46', accent: '#e9e2d6' },
  }),
  character('m-young-leo', 'Leo', {
    gender: 'male',
    age: 'young',
    skin: skin.porcelain,
    eyes: eyes.green,
    backdrop: backdrop.sky,
    hair: { style: 'quiff', colour: '#b5562b' },
    clothing: { style: 'tshirt', colour: '#2f4f4f', accent: '#1f3535' },
  }),
  character('m-adult-hiro', 'Hiro', {
    gender: 'male',
    age: 'adult',
    skin: skin.warm,
    eyes: eyes.dark,
    backdrop: backdrop.lilac,
    hair: { style: 'short', colour: '#1c1c22' },
    glasses: { frame: '#1c1c22', shape: 'square' },
    clothing: { style: 'turtleneck', colour: '#3b3b3b', accent: '#2a2a2a' },
    smile: 'closed',
  }),

  character('f-young-sofia', 'Sofia', {
    gender: 'female',
    age: 'young',
    skin: skin.porcelain,
    eyes: eyes.blue,
    backdrop: backdrop.sky,
    hair: { style: 'long', colour: '#d9a94f' },
    lips: '#d0606e',
    clothing: { style: 'tshirt', colour: '#e85d75', accent: '#c94a61' },
  }),
  character('f-adult-elena', 'Elena', {
    gender: 'female',
    age: 'adult',
    skin: skin.light,
    eyes: eyes.green,
    backdrop: backdrop.mint,
    hair: { style: 'bob', colour: '#7a3524' },
    lips: '#b5485a',
    earrings: '#d4a537',
    clothing: { style: 'blazer', colour: '#2f4858', accent: '#f2ede6' },
  }),
  character('f-senior-margaret', 'Margaret', {
    gender: 'female',
    age: 'senior',
    skin: skin.porcelain,
    eyes: eyes.blue,
    backdrop: backdrop.sky,
    hair: { style: 'short-waves', colour: grey },
    glasses: { frame: '#6b4f3a', shape: 'round' },
    lips: '#b8606a',
    clothing: { style: 'cardigan', colour: '#5b7f6a', accent: '#e6d8c3' },
    smile: 'closed',
  }),
  character('f-young-amara', 'Amara', {
    gender: 'female',
    age: 'young',
    skin: skin.deep,
    eyes: eyes.dark,
    backdrop: backdrop.lilac,
    hair: { style: 'afro', colour: '#1e1713' },
    earrings: '#e0b040',
    lips: '#8c3b45',
    clothing: { style: 'tshirt', colour: '#f3d34a', accent: '#d9b52e' },
  }),
  character('f-adult-priya', 'Priya', {
    gender: 'female',
    age: 'adult',
    skin: skin.olive,
    eyes: eyes.brown,
    backdrop: backdrop.lilac,
    hair: { style: 'long', colour: '#241611' },
    lips: '#a8404f',
    earrings: '#e0b040',
    clothing: { style: 'shirt', colour: '#2a9d8f', accent: '#1f7a6f' },
  }),
  character('f-senior-nadia', 'Nadia', {
    gender: 'female',
    age: 'senior',
    skin: skin.brown,
    eyes: eyes.brown,
    backdrop: backdrop.lilac,
    hair: { style: 'bun', colour: grey },
    glasses: { frame: '#8b1e3f', shape: 'square' },
    lips: '#8c3b45',
    clothing: { style: 'cardigan', colour: '#d98e04', accent: '#f2ede6' },
  }),
  character('f-young-mei', 'Mei', {
    gender: 'female',
    age: 'young',
    skin: skin.light,
    eyes: eyes.dark,
    backdrop: backdrop.mint,
    hair: { style: 'ponytail', colour: '#16161d' },
    lips: '#d0606e',
    clothing: { style: 'hoodie', colour: '#ff8fab', accent: '#f2ede6' },
  }),
  character('f-adult-chloe', 'Chloé', {
    gender: 'female',
    age: 'adult',
    skin: skin.medium,
    eyes: eyes.hazel,
    backdrop: backdrop.sky,
    hair: { style: 'bun', colour: '#4b2e1e' },
    lips: '#a8404f',
    glasses: { frame: '#2b1d18', shape: 'round' },
    clothing: { style: 'turtleneck', colour: '#c0504d', accent: '#a03f3c' },
  }),
];
