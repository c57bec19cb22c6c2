/**
 * The mouth shapes a drawn character speaks with: a standard cartoon viseme set. Closed lips for
 * p/b/m (`mbp`) differ from the relaxed `rest`, so a listener sees the lips meet on a bilabial.
 */
export const visemes = [
  'rest',
  'mbp',
  'fv',
  'th',
  'etc',
  'l',
  'ee',
  'eh',
  'aa',
  'oh',
  'oo',
] as const;
export type Viseme = (typeof visemes)[number];

/** Eye states for blinks: a half-closed frame on the way down and up makes a blink read as one. */
export const eyeStates = ['open', 'half', 'closed'] as const;
export type EyeState = (typeof eyeStates)[number];

/** How far each shape opens, 0 (lips together) to 1 (wide open): for blends and checks. */
export const visemeOpening: Readonly<Record<Viseme, number>> = {
  rest: 0,
  mbp: 0,
  fv: 0.1,
  th: 0.25,
  etc: 0.3,
  l: 0.55,
  ee: 0.4,
  eh: 0.7,
  aa: 1,
  oh: 0.75,
  oo: 0.4,
};
