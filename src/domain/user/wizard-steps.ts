import { missingDraftFields, type MissingDraftField, type WizardDraft } from './state.js';

/**
 * The wizard's steps in screen order. Every wizard command, button and screen belongs to one; it
 * may be taken only while every step before it is done, so old buttons, buttons of another
 * screen and forged payloads cannot put a choice into a draft that lacks what the choice builds on.
 *
 * Going back is always allowed: a step whose prerequisites hold may be taken again, and it keeps
 * the later choices (the draft is complete again as soon as the redone step is). A step drops only
 * what no longer applies: switching to the talking head drops the background clip (the shape stays
 * as a preference for the next background video), choosing the other gender drops the character.
 * Re-choosing the same gender changes nothing.
 */
export type WizardStep =
  | 'format'
  | 'background_video'
  | 'overlay_shape'
  | 'gender'
  | 'character'
  | 'character_edit'
  | 'voice'
  | 'script'
  | 'captions'
  | 'confirm';

/** What a step needs that the draft may lack; `background_format` is a fact, not a screen. */
export type StepRequirement =
  'format' | 'background_format' | 'background_video' | 'gender' | 'character' | 'voice' | 'script';

// `background_video` holds trivially for the talking head: it is the clip step of the background
// format only.
const beforeCharacter: readonly StepRequirement[] = ['format', 'background_video'];

const needs: Readonly<Record<WizardStep, readonly StepRequirement[]>> = {
  format: [],
  background_video: ['background_format'],
  overlay_shape: ['background_format', 'background_video'],
  gender: beforeCharacter,
  character: [...beforeCharacter, 'gender'],
  character_edit: [...beforeCharacter, 'character'],
  voice: [...beforeCharacter, 'character'],
  script: [...beforeCharacter, 'character', 'voice'],
  // Shown after the script, but never required: a draft without a pick gets its format's default.
  captions: [...beforeCharacter, 'character', 'voice', 'script'],
  confirm: [...beforeCharacter, 'character', 'voice', 'script'],
};

function holds(draft: WizardDraft, requirement: StepRequirement): boolean {
  switch (requirement) {
    case 'format':
      return draft.format !== null;
    case 'background_format':
      return draft.format === 'background';
    case 'background_video':
      return draft.format !== 'background' || draft.backgroundVideo !== null;
    case 'gender':
      return draft.gender !== null;
    case 'character':
      return draft.character !== null;
    case 'voice':
      return draft.voice !== null;
    case 'script':
      return draft.script !== null;
    default:
      return unreachable(requirement);
  }
}

function unreachable(value: never): never {
  throw new Error(`unknown step requirement ${String(value)}`);
}

/** The first thing `step` needs that the draft lacks, or null when the step is open. */
export function stepBlocker(draft: WizardDraft, step: WizardStep): StepRequirement | null {
  return needs[step].find((requirement) => !holds(draft, requirement)) ?? null;
}

/** Where the user stands: the first part the draft lacks, or the confirmation when nothing is. */
export type CurrentStep = MissingDraftField | 'confirm';

export function currentStep(draft: WizardDraft): CurrentStep {
  return missingDraftFields(draft)[0] ?? 'confirm';
}

/** The details every `out_of_step` rejection carries, so the bot can point to the right screen. */
export interface OutOfStep {
  readonly step: WizardStep;
  readonly needs: StepRequirement;
  readonly current: CurrentStep;
}

/**
 * Ways a draft can break the step order; empty for every draft the decider can produce. A choice
 * never outlives what it builds on: the clip needs the background format, the shape a format, the
 * gender a format, a character a format and its own gender, a voice a format, a script a voice. A
 * voice (and script) may outlive the character: picking the other gender sends the user
 * back to the gallery, and what they chose after the character is kept for when they pick one.
 */
export function draftOrderViolations(draft: WizardDraft): string[] {
  const violations: string[] = [];
  if (draft.backgroundVideo !== null && draft.format !== 'background')
    violations.push('clip without the background format');
  if (draft.overlayShape !== null && draft.format === null)
    violations.push('shape without a format');
  if (draft.gender !== null && draft.format === null) violations.push('gender without a format');
  if (
    draft.character !== null &&
    (draft.format === null || draft.character.gender !== draft.gender)
  ) {
    violations.push('character without a format, or of another gender than the chosen one');
  }
  if (draft.voice !== null && draft.format === null) violations.push('voice without a format');
  if (draft.script !== null && draft.voice === null) violations.push('script without a voice');
  return violations;
}
