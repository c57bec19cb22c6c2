import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { UserEvent } from '../events/user-events.js';
import { validateEvent } from '../events/catalog.js';
import type { UserCommand } from './commands.js';
import { userDecider } from './user-decider.js';
import { missingDraftFields, type UserState, type WizardDraft } from './state.js';
import { draftOrderViolations } from './wizard-steps.js';

// Whatever a user presses, in any order and any number of times, the draft never holds a choice
// whose step was not open when it was made, never breaks the step order, and a refused command
// changes nothing. The oracle below is written from the wizard's screens, independently of the
// decider's own table.

const registered: UserEvent[] = [
  {
    type: 'UserRegistered',
    data: { telegramId: 7, username: null, firstName: 'Ann', language: 'en' },
  },
  { type: 'CreditsGranted', data: { amount: 1000, reason: 'welcome', grantId: 'welcome-7' } },
];

const id = fc.constantFrom('a', 'b', 'c');
const gender = fc.constantFrom<'male' | 'female'>('male', 'female');

const command: fc.Arbitrary<UserCommand> = fc.oneof(
  fc
    .constantFrom('talking_head', 'background')
    .map((format) => ({ type: 'SelectFormat', format }) as UserCommand),
  id.map(
    (assetId) =>
      ({
        type: 'UploadBackgroundVideo',
        assetId,
        storageKey: `uploads/${assetId}.mp4`,
        durationSec: 5,
        sizeBytes: 100,
        width: 1080,
        height: 1920,
        mimeType: 'video/mp4',
        maxDurationSec: 15,
        maxSizeBytes: 1000,
      }) as UserCommand,
  ),
  fc
    .constantFrom('circle', 'rounded_rect', 'cutout')
    .map((shape) => ({ type: 'SelectOverlayShape', shape }) as UserCommand),
  fc
    .constantFrom('none', 'classic', 'bold', 'boxed')
    .map((style) => ({ type: 'SelectCaptionStyle', style }) as UserCommand),
  gender.map((g) => ({ type: 'ChooseCharacterGender', gender: g }) as UserCommand),
  fc.tuple(id, gender).map(
    ([characterId, g]) =>
      ({
        type: 'SelectCharacter',
        characterId,
        gender: g,
        age: 'young',
        imageKey: `c/${characterId}.png`,
      }) as UserCommand,
  ),
  id.map(
    (editId) =>
      ({ type: 'RequestCharacterEdit', editId, prompt: 'hat', maxIterations: 3 }) as UserCommand,
  ),
  id.map(
    (editId) =>
      ({
        type: 'RecordCharacterEdit',
        editId,
        imageKey: `e/${editId}.png`,
        provider: 'fake',
      }) as UserCommand,
  ),
  id.map((editId) => ({ type: 'RecordCharacterEditFailure', editId, reason: 'x' }) as UserCommand),
  id.map((editId) => ({ type: 'AcceptCharacterEdit', editId }) as UserCommand),
  fc.constant({ type: 'RevertCharacterEdit' } as UserCommand),
  id.map((voiceId) => ({ type: 'SelectVoice', voiceId, provider: 'espeak' }) as UserCommand),
  fc
    .tuple(fc.constantFrom('Hello there', '🔥', 'Buy now'), fc.integer({ min: 1, max: 4 }))
    .map(
      ([text, messageId]) =>
        ({ type: 'WriteScript', text, maxLength: 100, messageId }) as UserCommand,
    ),
  fc
    .tuple(fc.constantFrom('Edited text', '', 'Hello there'), fc.integer({ min: 1, max: 4 }))
    .map(
      ([text, messageId]) =>
        ({ type: 'EditScript', text, maxLength: 100, messageId }) as UserCommand,
    ),
  fc
    .integer({ min: 1, max: 1_000_000 })
    .map((n) => ({ type: 'RequestGeneration', generationId: `g${n}`, cost: 1 }) as UserCommand),
  fc
    .constantFrom('script', 'background_video', null)
    .map((input) => ({ type: 'AwaitInput', input }) as UserCommand),
);

/** What each wizard command needs, read off the screens: the steps before it must be done. */
function stepOpen(command: UserCommand, draft: WizardDraft): boolean {
  const clipDone =
    draft.format === 'talking_head' ||
    (draft.format === 'background' && draft.backgroundVideo !== null);
  switch (command.type) {
    case 'UploadBackgroundVideo':
      return draft.format === 'background';
    case 'SelectOverlayShape':
      return draft.format === 'background' && draft.backgroundVideo !== null;
    case 'ChooseCharacterGender':
      return clipDone;
    case 'SelectCharacter':
      return clipDone && draft.gender !== null;
    case 'RequestCharacterEdit':
    case 'AcceptCharacterEdit':
    case 'RevertCharacterEdit':
    case 'SelectVoice':
      return clipDone && draft.character !== null;
    case 'WriteScript':
      return clipDone && draft.character !== null && draft.voice !== null;
    case 'SelectCaptionStyle':
      return clipDone && draft.character !== null && draft.voice !== null && draft.script !== null;
    default:
      return true;
  }
}

/** The draft fields a command may change; everything else in the draft must stay as it was. */
const mayChange: Partial<Record<UserCommand['type'], readonly (keyof WizardDraft)[]>> = {
  SelectFormat: ['format', 'backgroundVideo'],
  UploadBackgroundVideo: ['backgroundVideo'],
  SelectOverlayShape: ['overlayShape'],
  SelectCaptionStyle: ['captionStyle'],
  ChooseCharacterGender: ['gender', 'character'],
  SelectCharacter: ['gender', 'character'],
  RequestCharacterEdit: ['character'],
  RecordCharacterEdit: ['character'],
  RecordCharacterEditFailure: ['character'],
  AcceptCharacterEdit: ['character'],
  RevertCharacterEdit: ['character'],
  SelectVoice: ['voice'],
  WriteScript: ['script'],
  EditScript: ['script'],
  RequestGeneration: ['script'],
  AwaitInput: [],
};

describe('the wizard step order (property)', () => {
  it('random command sequences never produce a draft out of step order', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 40 }), (commands) => {
        let state: UserState = registered.reduce(userDecider.evolve, userDecider.initialState);
        for (const next of commands) {
          const decision = userDecider.decide(next, state);
          if (!decision.ok) {
            if (!stepOpen(next, state.draft)) expect(decision.rejection.code).toBe('out_of_step');
            continue;
          }
          expect(stepOpen(next, state.draft), `${next.type} accepted out of step`).toBe(true);
          if (next.type === 'RequestGeneration')
            expect(missingDraftFields(state.draft)).toEqual([]);
          for (const event of decision.events) validateEvent(event);
          const after = decision.events.reduce(userDecider.evolve, state);
          expect(draftOrderViolations(after.draft), `after ${next.type}`).toEqual([]);
          const allowed = mayChange[next.type] ?? [];
          for (const field of Object.keys(state.draft) as (keyof WizardDraft)[]) {
            if (!allowed.includes(field))
              expect(after.draft[field], `${next.type} changed ${field}`).toEqual(
                state.draft[field],
              );
          }
          state = after;
        }
      }),
      { numRuns: 400 },
    );
  });

  it('a refused wizard command is exactly out_of_step when its step is closed', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 25 }), command, (history, last) => {
        const state = history.reduce(
          (current, next) => {
            const decision = userDecider.decide(next, current);
            return decision.ok ? decision.events.reduce(userDecider.evolve, current) : current;
          },
          registered.reduce(userDecider.evolve, userDecider.initialState),
        );
        const decision = userDecider.decide(last, state);
        const isOutOfStep = !decision.ok && decision.rejection.code === 'out_of_step';
        expect(isOutOfStep).toBe(!stepOpen(last, state.draft));
      }),
      { numRuns: 400 },
    );
  });
});
