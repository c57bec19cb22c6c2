import { describe, expect, it } from 'vitest';
import type { UserEvent } from '../events/user-events.js';
import { givenFor } from '../../testing/domain/given-when-then.js';
import type { UserCommand } from './commands.js';
import { userDecider } from './user-decider.js';
import { draftOrderViolations } from './wizard-steps.js';

// Every wizard command is refused, with `out_of_step` naming what is missing and where the user
// stands, while its step is not open; the same command is accepted once it is. Refusals append
// nothing (the given/when/then harness checks the decision, the state stays as it was).

const given = givenFor(userDecider);

const registered: UserEvent[] = [
  {
    type: 'UserRegistered',
    data: { telegramId: 7, username: null, firstName: 'Ann', language: 'en' },
  },
  { type: 'CreditsGranted', data: { amount: 10, reason: 'welcome', grantId: 'welcome-7' } },
];
const talkingHead: UserEvent = { type: 'FormatSelected', data: { format: 'talking_head' } };
const background: UserEvent = { type: 'FormatSelected', data: { format: 'background' } };
const clipData = {
  assetId: 'a1',
  storageKey: 'uploads/7/a1.mp4',
  durationSec: 8,
  sizeBytes: 1000,
  width: 1080,
  height: 1920,
  mimeType: 'video/mp4',
};
const clip: UserEvent = { type: 'BackgroundVideoUploaded', data: clipData };
const female: UserEvent = { type: 'CharacterGenderChosen', data: { gender: 'female' } };
const male: UserEvent = { type: 'CharacterGenderChosen', data: { gender: 'male' } };
const characterData = {
  characterId: 'f1',
  gender: 'female',
  age: 'young',
  imageKey: 'characters/f1.png',
} as const;
const character: UserEvent = { type: 'CharacterSelected', data: characterData };
const voice: UserEvent = { type: 'VoiceSelected', data: { voiceId: 'v1', provider: 'espeak' } };
const script = (text: string, messageId: number): UserEvent => ({
  type: 'ScriptWritten',
  data: { text, speechText: text, messageId },
});
const generated = (generationId: string): UserEvent[] => [
  {
    type: 'GenerationRequested',
    data: {
      generationId,
      format: 'talking_head',
      characterId: 'f1',
      characterImageKey: 'characters/f1.png',
      characterGender: 'female',
      characterAge: 'young',
      voiceId: 'v1',
      voiceProvider: 'espeak',
      script: 'Hello there',
      speechText: 'Hello there',
      backgroundVideoKey: null,
      overlayShape: null,
      cost: 1,
    },
  },
  {
    type: 'CreditsSpent',
    data: { amount: 1, reason: 'generation', spendId: generationId, generationId },
  },
];

const commands = {
  upload: {
    type: 'UploadBackgroundVideo',
    ...clipData,
    maxDurationSec: 15,
    maxSizeBytes: 20_000_000,
  },
  shape: { type: 'SelectOverlayShape', shape: 'circle' },
  gender: { type: 'ChooseCharacterGender', gender: 'male' },
  character: { type: 'SelectCharacter', ...characterData },
  edit: { type: 'RequestCharacterEdit', editId: 'e1', prompt: 'glasses', maxIterations: 3 },
  accept: { type: 'AcceptCharacterEdit', editId: 'e1' },
  revert: { type: 'RevertCharacterEdit' },
  voice: { type: 'SelectVoice', voiceId: 'v2', provider: 'espeak' },
  script: { type: 'WriteScript', text: 'Hello there', maxLength: 1000, messageId: 50 },
  captions: { type: 'SelectCaptionStyle', style: 'bold' },
} as const satisfies Record<string, UserCommand>;

describe('out of step: refused, nothing appended', () => {
  const cases: ReadonlyArray<[string, UserEvent[], UserCommand, Record<string, string>]> = [
    [
      'a clip before any format',
      registered,
      commands.upload,
      { step: 'background_video', needs: 'background_format', current: 'format' },
    ],
    [
      'a clip for the talking head',
      [...registered, talkingHead],
      commands.upload,
      { needs: 'background_format', current: 'character' },
    ],
    [
      'a shape before any format',
      registered,
      commands.shape,
      { step: 'overlay_shape', needs: 'background_format', current: 'format' },
    ],
    [
      'a shape on a talking-head draft',
      [...registered, talkingHead],
      commands.shape,
      { needs: 'background_format', current: 'character' },
    ],
    [
      'a shape before the clip',
      [...registered, background],
      commands.shape,
      { needs: 'background_video', current: 'background_video' },
    ],
    [
      'a gender before a format',
      registered,
      commands.gender,
      { step: 'gender', needs: 'format', current: 'format' },
    ],
    [
      'a gender before the clip',
      [...registered, background],
      commands.gender,
      { needs: 'background_video', current: 'background_video' },
    ],
    [
      'a character before a format',
      registered,
      commands.character,
      { step: 'character', needs: 'format', current: 'format' },
    ],
    [
      'a character before the gender',
      [...registered, talkingHead],
      commands.character,
      { needs: 'gender', current: 'character' },
    ],
    [
      'a character before the clip',
      [...registered, background],
      commands.character,
      { needs: 'background_video' },
    ],
    [
      'an edit before a character',
      [...registered, talkingHead, female],
      commands.edit,
      { step: 'character_edit', needs: 'character' },
    ],
    [
      'accepting an edit before a character',
      [...registered, talkingHead],
      commands.accept,
      { needs: 'character' },
    ],
    [
      'reverting before a character',
      [...registered, talkingHead],
      commands.revert,
      { needs: 'character' },
    ],
    [
      'a voice before any character',
      [...registered, talkingHead, female],
      commands.voice,
      { step: 'voice', needs: 'character', current: 'character' },
    ],
    ['a voice before a format', registered, commands.voice, { needs: 'format', current: 'format' }],
    [
      'a voice while the clip is missing',
      [...registered, talkingHead, female, character, background],
      commands.voice,
      { needs: 'background_video', current: 'background_video' },
    ],
    [
      'a script before a voice',
      [...registered, talkingHead, female, character],
      commands.script,
      { step: 'script', needs: 'voice', current: 'voice' },
    ],
    [
      'a script before anything',
      registered,
      commands.script,
      { needs: 'format', current: 'format' },
    ],
    [
      'captions before the script',
      [...registered, talkingHead, female, character, voice],
      commands.captions,
      { step: 'captions', needs: 'script', current: 'script' },
    ],
    [
      'captions while the clip is missing',
      [...registered, talkingHead, female, character, voice, script('Hello there', 50), background],
      commands.captions,
      { needs: 'background_video', current: 'background_video' },
    ],
  ];

  it.each(cases)('%s', (_name, history, command, details) => {
    const state = given(history).when(command).thenRejects('out_of_step', details);
    expect(state).toEqual(given(history).state);
  });
});

describe('in step: accepted', () => {
  it('each step once the steps before it are done', () => {
    given([...registered, background])
      .when(commands.upload)
      .then([clip]);
    given([...registered, background, clip])
      .when(commands.shape)
      .then([{ type: 'OverlayShapeSelected', data: { shape: 'circle' } }]);
    // The shape has a default: the character may follow the clip directly.
    given([...registered, background, clip])
      .when(commands.gender)
      .then([male]);
    given([...registered, talkingHead])
      .when(commands.gender)
      .then([male]);
    given([...registered, talkingHead, female])
      .when(commands.character)
      .then([character]);
    given([...registered, talkingHead, female, character])
      .when(commands.voice)
      .then([{ type: 'VoiceSelected', data: { voiceId: 'v2', provider: 'espeak' } }]);
    given([...registered, talkingHead, female, character, voice])
      .when(commands.script)
      .then([script('Hello there', 50)]);
    // The captions have a default: the confirmation may follow the script directly.
    given([...registered, talkingHead, female, character, voice, script('Hello there', 50)])
      .when(commands.captions)
      .then([{ type: 'CaptionStyleSelected', data: { style: 'bold' } }]);
  });

  it('a format is always open: it starts or redoes the first step', () => {
    given(registered).when({ type: 'SelectFormat', format: 'background' }).then([background]);
    given([...registered, talkingHead, female, character, voice])
      .when({ type: 'SelectFormat', format: 'background' })
      .then([background]);
  });
});

describe('going back', () => {
  const complete = [
    ...registered,
    talkingHead,
    female,
    character,
    voice,
    script('Hello there', 50),
  ];

  it('a new character keeps the voice and the script', () => {
    const state = given(complete)
      .when({
        type: 'SelectCharacter',
        characterId: 'f2',
        gender: 'female',
        age: 'adult',
        imageKey: 'characters/f2.png',
      })
      .then([
        {
          type: 'CharacterSelected',
          data: {
            characterId: 'f2',
            gender: 'female',
            age: 'adult',
            imageKey: 'characters/f2.png',
          },
        },
      ]);
    expect(state.draft).toMatchObject({
      voice: { voiceId: 'v1' },
      script: { text: 'Hello there' },
    });
  });

  it('the same gender again is browsing: no event, the character stays', () => {
    const state = given(complete)
      .when({ type: 'ChooseCharacterGender', gender: 'female' })
      .then([]);
    expect(state.draft.character?.characterId).toBe('f1');
  });

  it('the other gender drops the character only; the draft is complete again once one is picked', () => {
    const state = given(complete).when(commands.gender).then([male]);
    expect(state.draft).toMatchObject({
      gender: 'male',
      character: null,
      voice: { voiceId: 'v1' },
      script: { text: 'Hello there' },
    });
    given([...complete, male])
      .when({ type: 'RequestGeneration', generationId: 'g1', cost: 1 })
      .thenRejects('draft_incomplete', { missing: ['character'] });
    given([...complete, male])
      .when(commands.voice)
      .thenRejects('out_of_step', { needs: 'character', current: 'character' });
  });

  it('switching to background keeps the character but makes the clip the current step', () => {
    const state = given(complete)
      .when({ type: 'SelectFormat', format: 'background' })
      .then([background]);
    expect(state.draft.character?.characterId).toBe('f1');
    given([...complete, background])
      .when(commands.voice)
      .thenRejects('out_of_step', { needs: 'background_video', current: 'background_video' });
  });

  it('switching to the talking head drops the clip; the shape stays as a preference', () => {
    const shaped = [
      ...registered,
      background,
      clip,
      { type: 'OverlayShapeSelected', data: { shape: 'circle' } } as UserEvent,
    ];
    const state = given(shaped)
      .when({ type: 'SelectFormat', format: 'talking_head' })
      .then([talkingHead]);
    expect(state.draft).toMatchObject({
      format: 'talking_head',
      backgroundVideo: null,
      overlayShape: 'circle',
    });
    given([...shaped, talkingHead])
      .when(commands.shape)
      .thenRejects('out_of_step', { needs: 'background_format' });
    expect(draftOrderViolations(state.draft)).toEqual([]);
  });
});

describe('an edited script message', () => {
  const confirm = [...registered, talkingHead, female, character, voice, script('Hello there', 50)];

  it('replaces the script while nothing has been generated from it', () => {
    const state = given(confirm)
      .when({ type: 'EditScript', messageId: 50, text: ' Fresh **bread** daily ', maxLength: 1000 })
      .then([
        {
          type: 'ScriptWritten',
          data: { text: 'Fresh **bread** daily', speechText: 'Fresh bread daily', messageId: 50 },
        },
      ]);
    expect(state.draft.script).toEqual({
      text: 'Fresh **bread** daily',
      speechText: 'Fresh bread daily',
      messageId: 50,
    });
  });

  it('is re-validated: a bad edit keeps the old script', () => {
    given(confirm)
      .when({ type: 'EditScript', messageId: 50, text: '🔥🔥', maxLength: 1000 })
      .then('script_empty');
    given(confirm)
      .when({ type: 'EditScript', messageId: 50, text: 'x'.repeat(20), maxLength: 10 })
      .thenRejects('script_too_long', { length: 20, maxLength: 10 });
  });

  it('the same text again is not news', () => {
    given(confirm)
      .when({ type: 'EditScript', messageId: 50, text: 'Hello there ', maxLength: 1000 })
      .then([]);
  });

  it('after a generation used it: refused, naming the generation; the new draft is untouched', () => {
    const state = given([...confirm, ...generated('g1')])
      .when({ type: 'EditScript', messageId: 50, text: 'Changed my mind', maxLength: 1000 })
      .thenRejects('script_already_used', { messageId: 50, generationId: 'g1' });
    expect(state.draft.script).toBeNull();
    given([...confirm, ...generated('g1'), script('Second video', 60)])
      .when({ type: 'EditScript', messageId: 50, text: 'Changed my mind', maxLength: 1000 })
      .thenRejects('script_already_used', { generationId: 'g1' });
  });

  it('any other message is not the script', () => {
    given(confirm)
      .when({ type: 'EditScript', messageId: 49, text: 'Hello', maxLength: 1000 })
      .thenRejects('not_the_script', { messageId: 49 });
    given(registered)
      .when({ type: 'EditScript', messageId: 50, text: 'Hello', maxLength: 1000 })
      .then('not_the_script');
    // Scripts stored before message ids were recorded match no edit.
    const legacy: UserEvent = { type: 'ScriptWritten', data: { text: 'Old', speechText: 'Old' } };
    given([...confirm.slice(0, -1), legacy])
      .when({ type: 'EditScript', messageId: 50, text: 'New', maxLength: 1000 })
      .then('not_the_script');
  });
});
