import { describe, expect, it } from 'vitest';
import type { UserEvent } from '../events/user-events.js';
import { givenFor } from '../../testing/domain/given-when-then.js';
import { userDecider } from './user-decider.js';

const given = givenFor(userDecider);

const registered: UserEvent[] = [
  {
    type: 'UserRegistered',
    data: { telegramId: 42, username: 'ann', firstName: 'Ann', language: 'ru' },
  },
  { type: 'CreditsGranted', data: { amount: 10, reason: 'welcome', grantId: 'welcome-42' } },
];

const character = {
  type: 'CharacterSelected',
  data: { characterId: 'c1', gender: 'female', age: '25-35', imageKey: 'characters/c1.png' },
} as const satisfies UserEvent;

const talkingHeadDraft: UserEvent[] = [
  ...registered,
  { type: 'FormatSelected', data: { format: 'talking_head' } },
  { type: 'CharacterGenderChosen', data: { gender: 'female' } },
  character,
  { type: 'VoiceSelected', data: { voiceId: 'v1', provider: 'espeak' } },
  { type: 'ScriptWritten', data: { text: 'Buy **now**', speechText: 'Buy now' } },
];

/** Everything the script step needs: format, character and voice. */
const readyForScript: UserEvent[] = talkingHeadDraft.slice(0, -1);

const video = {
  assetId: 'a1',
  storageKey: 'uploads/a1.mp4',
  durationSec: 12.5,
  sizeBytes: 5_000_000,
  width: 1080,
  height: 1920,
  mimeType: 'video/mp4',
};
const limits = { maxDurationSec: 15, maxSizeBytes: 20 * 1024 * 1024 };

const backgroundDraft: UserEvent[] = [
  ...talkingHeadDraft,
  { type: 'FormatSelected', data: { format: 'background' } },
  { type: 'BackgroundVideoUploaded', data: video },
];

const editRequested = (editId: string, iteration: number): UserEvent => ({
  type: 'CharacterEditRequested',
  data: { editId, prompt: 'add glasses', iteration },
});
const edited = (editId: string, iteration: number): UserEvent => ({
  type: 'CharacterEdited',
  data: { editId, imageKey: `edits/${editId}.png`, iteration, provider: 'fal' },
});

describe('registration', () => {
  const register = {
    type: 'RegisterUser',
    telegramId: 42,
    username: 'ann',
    firstName: 'Ann',
    language: 'ru',
    welcomeCredits: 10,
    grantId: 'welcome-42',
  } as const;

  it('registers with welcome credits in the same decision', () => {
    const state = given().when(register).then(registered);
    expect(state).toMatchObject({ registered: true, telegramId: 42, language: 'ru', balance: 10 });
  });

  it('registers without a grant when there are no welcome credits', () => {
    given()
      .when({ ...register, welcomeCredits: 0 })
      .then([registered[0]!]);
  });

  it('rejects a second registration', () => {
    given(registered).when(register).then('already_registered');
  });

  it('rejects invalid ids and negative welcome credits', () => {
    given()
      .when({ ...register, telegramId: -1 })
      .then('invalid_telegram_id');
    given()
      .when({ ...register, welcomeCredits: -5 })
      .then('invalid_amount');
    given()
      .when({ ...register, welcomeCredits: 1.5 })
      .then('invalid_amount');
  });

  it('requires registration for every other command', () => {
    given().when({ type: 'ChangeLanguage', language: 'en' }).then('not_registered');
    given()
      .when({ type: 'GrantCredits', amount: 1, reason: 'x', grantId: 'g' })
      .then('not_registered');
    given().when({ type: 'RequestGeneration', generationId: 'g1', cost: 1 }).then('not_registered');
  });
});

describe('language', () => {
  it('changes the language', () => {
    const state = given(registered)
      .when({ type: 'ChangeLanguage', language: 'en' })
      .then([{ type: 'LanguageChanged', data: { language: 'en' } }]);
    expect(state.language).toBe('en');
  });

  it('emits nothing when the language is already chosen', () => {
    given(registered).when({ type: 'ChangeLanguage', language: 'ru' }).then([]);
  });
});

describe('credits', () => {
  it('grants credits', () => {
    const state = given(registered)
      .when({ type: 'GrantCredits', amount: 5, reason: 'promo', grantId: 'g1' })
      .then([{ type: 'CreditsGranted', data: { amount: 5, reason: 'promo', grantId: 'g1' } }]);
    expect(state.balance).toBe(15);
  });

  it('rejects non-positive or fractional amounts and a missing reason', () => {
    given(registered)
      .when({ type: 'GrantCredits', amount: 0, reason: 'x', grantId: 'g' })
      .then('invalid_amount');
    given(registered)
      .when({ type: 'GrantCredits', amount: 2.5, reason: 'x', grantId: 'g' })
      .then('invalid_amount');
    given(registered)
      .when({ type: 'RevokeCredits', amount: -1, reason: 'x', revokeId: 'r' })
      .then('invalid_amount');
    given(registered)
      .when({ type: 'SpendCredits', amount: 0, reason: 'x', spendId: 's' })
      .then('invalid_amount');
    given(registered)
      .when({ type: 'GrantCredits', amount: 1, reason: '  ', grantId: 'g' })
      .then('reason_required');
  });

  it('revokes credits down to zero but not below', () => {
    const state = given(registered)
      .when({ type: 'RevokeCredits', amount: 10, reason: 'abuse', revokeId: 'r1' })
      .then([{ type: 'CreditsRevoked', data: { amount: 10, reason: 'abuse', revokeId: 'r1' } }]);
    expect(state.balance).toBe(0);
    given(registered)
      .when({ type: 'RevokeCredits', amount: 11, reason: 'abuse', revokeId: 'r1' })
      .thenRejects('insufficient_credits', { balance: 10, required: 11 });
  });

  it('spends credits and remembers the spend', () => {
    const state = given(registered)
      .when({ type: 'SpendCredits', amount: 3, reason: 'manual', spendId: 's1' })
      .then([
        {
          type: 'CreditsSpent',
          data: { amount: 3, reason: 'manual', spendId: 's1', generationId: null },
        },
      ]);
    expect(state.balance).toBe(7);
    expect(state.spends['s1']).toEqual({ amount: 3, refunded: false, generationId: null });
  });

  it('refuses to spend more than the balance or to reuse a spend id', () => {
    given(registered)
      .when({ type: 'SpendCredits', amount: 11, reason: 'x', spendId: 's1' })
      .then('insufficient_credits');
    given([
      ...registered,
      { type: 'CreditsSpent', data: { amount: 1, reason: 'x', spendId: 's1', generationId: null } },
    ])
      .when({ type: 'SpendCredits', amount: 1, reason: 'x', spendId: 's1' })
      .then('duplicate_spend');
  });

  const spent: UserEvent[] = [
    ...registered,
    {
      type: 'CreditsSpent',
      data: { amount: 4, reason: 'generation', spendId: 'gen-1', generationId: 'gen-1' },
    },
  ];

  it('refunds the spent amount once', () => {
    const state = given(spent)
      .when({ type: 'RefundCredits', spendId: 'gen-1', reason: 'generation_failed' })
      .then([
        {
          type: 'CreditsRefunded',
          data: { amount: 4, reason: 'generation_failed', spendId: 'gen-1', generationId: 'gen-1' },
        },
      ]);
    expect(state.balance).toBe(10);
    expect(state.spends['gen-1']?.refunded).toBe(true);
  });

  it('rejects a second refund and a refund of an unknown spend', () => {
    given([
      ...spent,
      {
        type: 'CreditsRefunded',
        data: { amount: 4, reason: 'x', spendId: 'gen-1', generationId: 'gen-1' },
      },
    ])
      .when({ type: 'RefundCredits', spendId: 'gen-1', reason: 'again' })
      .then('already_refunded');
    given(spent)
      .when({ type: 'RefundCredits', spendId: 'nope', reason: 'x' })
      .then('unknown_spend');
    // Ids are data, not object keys with special meaning.
    given(spent)
      .when({ type: 'RefundCredits', spendId: '__proto__', reason: 'x' })
      .then('unknown_spend');
    given(spent)
      .when({ type: 'RefundCredits', spendId: 'toString', reason: 'x' })
      .then('unknown_spend');
  });

  it('records a top-up request with an optional amount and note', () => {
    given(registered)
      .when({ type: 'RequestTopUp', requestId: 't1', amount: 50, note: '  invoice please ' })
      .then([
        { type: 'TopUpRequested', data: { requestId: 't1', amount: 50, note: 'invoice please' } },
      ]);
    given(registered)
      .when({ type: 'RequestTopUp', requestId: 't1', amount: null, note: '   ' })
      .then([{ type: 'TopUpRequested', data: { requestId: 't1', amount: null, note: null } }]);
    given(registered)
      .when({ type: 'RequestTopUp', requestId: 't1', amount: 0, note: null })
      .then('invalid_amount');
  });
});

describe('feedback', () => {
  const submitted: UserEvent[] = [
    ...registered,
    { type: 'FeedbackSubmitted', data: { feedbackId: 'f1', text: 'Nice' } },
  ];

  it('submits trimmed feedback', () => {
    const state = given(registered)
      .when({ type: 'SubmitFeedback', feedbackId: 'f1', text: '  Nice ', maxLength: 10 })
      .then([{ type: 'FeedbackSubmitted', data: { feedbackId: 'f1', text: 'Nice' } }]);
    expect(state.openFeedbackIds).toEqual(['f1']);
  });

  it('rejects empty, too long and reused feedback', () => {
    given(registered)
      .when({ type: 'SubmitFeedback', feedbackId: 'f1', text: ' \n ' })
      .then('feedback_empty');
    given(registered)
      .when({ type: 'SubmitFeedback', feedbackId: 'f1', text: 'x'.repeat(11), maxLength: 10 })
      .thenRejects('feedback_too_long', { length: 11, maxLength: 10 });
    given(submitted)
      .when({ type: 'SubmitFeedback', feedbackId: 'f1', text: 'again' })
      .then('duplicate_feedback');
  });

  it('answers open feedback once', () => {
    const state = given(submitted)
      .when({ type: 'AnswerFeedback', feedbackId: 'f1', text: 'Thanks!', adminId: 7 })
      .then([
        { type: 'FeedbackAnswered', data: { feedbackId: 'f1', text: 'Thanks!', adminId: 7 } },
      ]);
    expect(state.openFeedbackIds).toEqual([]);
    expect(state.answeredFeedbackIds).toEqual(['f1']);
  });

  it('rejects answers to unknown or answered feedback, and empty answers', () => {
    given(registered)
      .when({ type: 'AnswerFeedback', feedbackId: 'f1', text: 'hi', adminId: 7 })
      .then('unknown_feedback');
    given([
      ...submitted,
      { type: 'FeedbackAnswered', data: { feedbackId: 'f1', text: 'hi', adminId: 7 } },
    ])
      .when({ type: 'AnswerFeedback', feedbackId: 'f1', text: 'hi', adminId: 7 })
      .then('already_answered');
    given(submitted)
      .when({ type: 'AnswerFeedback', feedbackId: 'f1', text: ' ', adminId: 7 })
      .then('feedback_empty');
  });
});

describe('awaited input', () => {
  it('records what the bot waits for and emits nothing when unchanged', () => {
    const state = given(registered)
      .when({ type: 'AwaitInput', input: 'script' })
      .then([{ type: 'InputAwaited', data: { input: 'script' } }]);
    expect(state.awaitedInput).toBe('script');
    given([...registered, { type: 'InputAwaited', data: { input: 'script' } }])
      .when({ type: 'AwaitInput', input: 'script' })
      .then([]);
    given([...registered, { type: 'InputAwaited', data: { input: 'script' } }])
      .when({ type: 'AwaitInput', input: null })
      .then([{ type: 'InputAwaited', data: { input: null } }]);
  });

  it('is satisfied by the matching answer, so a restart does not ask again', () => {
    const state = given([...readyForScript, { type: 'InputAwaited', data: { input: 'script' } }])
      .when({ type: 'WriteScript', text: 'Hello', maxLength: 100 })
      .then([{ type: 'ScriptWritten', data: { text: 'Hello', speechText: 'Hello' } }]);
    expect(state.awaitedInput).toBeNull();
    const other = given([...readyForScript, { type: 'InputAwaited', data: { input: 'feedback' } }])
      .when({ type: 'WriteScript', text: 'Hello', maxLength: 100 })
      .then([{ type: 'ScriptWritten', data: { text: 'Hello', speechText: 'Hello' } }]);
    expect(other.awaitedInput).toBe('feedback');
  });
});

describe('format and background video', () => {
  it('selects a format', () => {
    const state = given(registered)
      .when({ type: 'SelectFormat', format: 'background' })
      .then([{ type: 'FormatSelected', data: { format: 'background' } }]);
    expect(state.draft.format).toBe('background');
  });

  it('uploads a background video for the background format', () => {
    const state = given([...registered, { type: 'FormatSelected', data: { format: 'background' } }])
      .when({ type: 'UploadBackgroundVideo', ...video, mimeType: 'VIDEO/QUICKTIME', ...limits })
      .then([{ type: 'BackgroundVideoUploaded', data: { ...video, mimeType: 'video/quicktime' } }]);
    expect(state.draft.backgroundVideo?.storageKey).toBe('uploads/a1.mp4');
  });

  it('rejects a background video outside the background format', () => {
    given(registered)
      .when({ type: 'UploadBackgroundVideo', ...video, ...limits })
      .thenRejects('out_of_step', {
        step: 'background_video',
        needs: 'background_format',
        current: 'format',
      });
    given([...registered, { type: 'FormatSelected', data: { format: 'talking_head' } }])
      .when({ type: 'UploadBackgroundVideo', ...video, ...limits })
      .thenRejects('out_of_step', {
        step: 'background_video',
        needs: 'background_format',
        current: 'character',
      });
  });

  it('rejects wrong types, broken media, too long and too large clips', () => {
    const bg: UserEvent[] = [
      ...registered,
      { type: 'FormatSelected', data: { format: 'background' } },
    ];
    given(bg)
      .when({ type: 'UploadBackgroundVideo', ...video, mimeType: 'video/webm', ...limits })
      .then('unsupported_video_type');
    given(bg)
      .when({ type: 'UploadBackgroundVideo', ...video, durationSec: 0, ...limits })
      .then('invalid_video');
    given(bg)
      .when({ type: 'UploadBackgroundVideo', ...video, width: 0, ...limits })
      .then('invalid_video');
    given(bg)
      .when({ type: 'UploadBackgroundVideo', ...video, durationSec: Number.NaN, ...limits })
      .then('invalid_video');
    given(bg)
      .when({ type: 'UploadBackgroundVideo', ...video, durationSec: 15.6, ...limits })
      .thenRejects('video_too_long', { durationSec: 15.6, maxDurationSec: 15 });
    given(bg)
      .when({ type: 'UploadBackgroundVideo', ...video, sizeBytes: 21 * 1024 * 1024, ...limits })
      .then('video_too_large');
  });

  it('clears the background video only when switching to talking head', () => {
    const toTalkingHead = given(backgroundDraft)
      .when({ type: 'SelectFormat', format: 'talking_head' })
      .then([{ type: 'FormatSelected', data: { format: 'talking_head' } }]);
    expect(toTalkingHead.draft.backgroundVideo).toBeNull();
    const again = given(backgroundDraft)
      .when({ type: 'SelectFormat', format: 'background' })
      .then([{ type: 'FormatSelected', data: { format: 'background' } }]);
    expect(again.draft.backgroundVideo?.assetId).toBe('a1');
  });

  it('selects an overlay shape', () => {
    const state = given(backgroundDraft)
      .when({ type: 'SelectOverlayShape', shape: 'cutout' })
      .then([{ type: 'OverlayShapeSelected', data: { shape: 'cutout' } }]);
    expect(state.draft.overlayShape).toBe('cutout');
  });
});

describe('character', () => {
  it('chooses a gender, which clears the character', () => {
    const state = given(talkingHeadDraft)
      .when({ type: 'ChooseCharacterGender', gender: 'male' })
      .then([{ type: 'CharacterGenderChosen', data: { gender: 'male' } }]);
    expect(state.draft.gender).toBe('male');
    expect(state.draft.character).toBeNull();
  });

  it('selects a character with a fresh edit budget', () => {
    const state = given([...talkingHeadDraft, editRequested('e1', 1), edited('e1', 1)])
      .when({
        type: 'SelectCharacter',
        characterId: 'c2',
        gender: 'female',
        age: '40-50',
        imageKey: 'characters/c2.png',
      })
      .then([
        {
          type: 'CharacterSelected',
          data: {
            characterId: 'c2',
            gender: 'female',
            age: '40-50',
            imageKey: 'characters/c2.png',
          },
        },
      ]);
    expect(state.draft.character).toMatchObject({
      characterId: 'c2',
      imageKey: 'characters/c2.png',
      originalImageKey: 'characters/c2.png',
      editIterations: 0,
      pendingEdit: null,
    });
  });

  it('selects a voice', () => {
    const state = given(talkingHeadDraft.slice(0, 5))
      .when({ type: 'SelectVoice', voiceId: 'rachel', provider: 'elevenlabs' })
      .then([{ type: 'VoiceSelected', data: { voiceId: 'rachel', provider: 'elevenlabs' } }]);
    // No languages on record: not judged against the script (see voice-language.test.ts).
    expect(state.draft.voice).toEqual({ voiceId: 'rachel', provider: 'elevenlabs', languages: [] });
  });
});

describe('character editing', () => {
  const edit = {
    type: 'RequestCharacterEdit',
    editId: 'e1',
    prompt: ' add glasses ',
    maxIterations: 3,
  } as const;

  it('requests an edit numbered by the next iteration', () => {
    const state = given(talkingHeadDraft)
      .when(edit)
      .then([editRequested('e1', 1)]);
    expect(state.draft.character?.pendingEdit).toEqual({
      editId: 'e1',
      prompt: 'add glasses',
      iteration: 1,
    });
    given([...talkingHeadDraft, editRequested('e1', 1), edited('e1', 1)])
      .when({ ...edit, editId: 'e2' })
      .then([editRequested('e2', 2)]);
  });

  it('needs a character, a prompt and no edit already running', () => {
    given(registered).when(edit).thenRejects('out_of_step', { needs: 'format' });
    given([...talkingHeadDraft, { type: 'CharacterGenderChosen', data: { gender: 'male' } }])
      .when(edit)
      .thenRejects('out_of_step', {
        step: 'character_edit',
        needs: 'character',
        current: 'character',
      });
    given(talkingHeadDraft)
      .when({ ...edit, prompt: '   ' })
      .then('prompt_empty');
    given([...talkingHeadDraft, editRequested('e1', 1)])
      .when({ ...edit, editId: 'e2' })
      .then('edit_in_progress');
  });

  it('bounds the number of edits', () => {
    const twoEdits = [
      ...talkingHeadDraft,
      editRequested('e1', 1),
      edited('e1', 1),
      editRequested('e2', 2),
      edited('e2', 2),
    ];
    given(twoEdits)
      .when({ ...edit, editId: 'e3', maxIterations: 2 })
      .thenRejects('edit_limit_reached', {
        iterations: 2,
        maxIterations: 2,
      });
    // Reverting does not refill the budget.
    given([...twoEdits, { type: 'CharacterEditReverted', data: {} }])
      .when({ ...edit, editId: 'e3', maxIterations: 2 })
      .then('edit_limit_reached');
    // A new character does.
    given([...twoEdits, character])
      .when({ ...edit, editId: 'e3', maxIterations: 2 })
      .then([editRequested('e3', 1)]);
  });

  it('does not charge an iteration for a failed edit', () => {
    given([
      ...talkingHeadDraft,
      editRequested('e1', 1),
      { type: 'CharacterEditFailed', data: { editId: 'e1', reason: 'provider down' } },
    ])
      .when({ ...edit, editId: 'e2', maxIterations: 1 })
      .then([editRequested('e2', 1)]);
  });

  it('records an edit result, which the generation then uses', () => {
    const state = given([...talkingHeadDraft, editRequested('e1', 1)])
      .when({
        type: 'RecordCharacterEdit',
        editId: 'e1',
        imageKey: 'edits/e1.png',
        provider: 'fal',
      })
      .then([edited('e1', 1)]);
    expect(state.draft.character).toMatchObject({
      imageKey: 'edits/e1.png',
      originalImageKey: 'characters/c1.png',
      editIterations: 1,
      pendingEdit: null,
      lastEdit: { editId: 'e1', iteration: 1, accepted: false },
    });
  });

  it('records a failed edit', () => {
    const state = given([...talkingHeadDraft, editRequested('e1', 1)])
      .when({ type: 'RecordCharacterEditFailure', editId: 'e1', reason: 'timeout' })
      .then([{ type: 'CharacterEditFailed', data: { editId: 'e1', reason: 'timeout' } }]);
    expect(state.draft.character?.pendingEdit).toBeNull();
    expect(state.draft.character?.imageKey).toBe('characters/c1.png');
  });

  it('refuses results of edits that are not running', () => {
    given(talkingHeadDraft)
      .when({ type: 'RecordCharacterEdit', editId: 'e1', imageKey: 'x.png', provider: 'fal' })
      .then('unknown_edit');
    given([...talkingHeadDraft, editRequested('e1', 1)])
      .when({ type: 'RecordCharacterEdit', editId: 'other', imageKey: 'x.png', provider: 'fal' })
      .then('unknown_edit');
    given([
      ...talkingHeadDraft,
      editRequested('e1', 1),
      { type: 'CharacterEditReverted', data: {} },
    ])
      .when({ type: 'RecordCharacterEdit', editId: 'e1', imageKey: 'x.png', provider: 'fal' })
      .then('unknown_edit');
    given(talkingHeadDraft)
      .when({ type: 'RecordCharacterEditFailure', editId: 'e1', reason: 'x' })
      .then('unknown_edit');
  });

  it('accepts the latest edit once', () => {
    const editedDraft = [...talkingHeadDraft, editRequested('e1', 1), edited('e1', 1)];
    const state = given(editedDraft)
      .when({ type: 'AcceptCharacterEdit', editId: 'e1' })
      .then([{ type: 'CharacterEditAccepted', data: { editId: 'e1' } }]);
    expect(state.draft.character?.lastEdit?.accepted).toBe(true);
    expect(state.draft.character?.imageKey).toBe('edits/e1.png');
    given([...editedDraft, { type: 'CharacterEditAccepted', data: { editId: 'e1' } }])
      .when({ type: 'AcceptCharacterEdit', editId: 'e1' })
      .then([]);
    given(editedDraft).when({ type: 'AcceptCharacterEdit', editId: 'e0' }).then('unknown_edit');
    given(talkingHeadDraft)
      .when({ type: 'AcceptCharacterEdit', editId: 'e1' })
      .then('unknown_edit');
  });

  it('reverts to the original image', () => {
    const state = given([...talkingHeadDraft, editRequested('e1', 1), edited('e1', 1)])
      .when({ type: 'RevertCharacterEdit' })
      .then([{ type: 'CharacterEditReverted', data: {} }]);
    expect(state.draft.character).toMatchObject({
      imageKey: 'characters/c1.png',
      editIterations: 1,
      lastEdit: null,
    });
  });

  it('reverts a running edit', () => {
    const state = given([...talkingHeadDraft, editRequested('e1', 1)])
      .when({ type: 'RevertCharacterEdit' })
      .then([{ type: 'CharacterEditReverted', data: {} }]);
    expect(state.draft.character?.pendingEdit).toBeNull();
  });

  it('has nothing to revert without an edit or a character', () => {
    given(talkingHeadDraft).when({ type: 'RevertCharacterEdit' }).then('nothing_to_revert');
    given(registered).when({ type: 'RevertCharacterEdit' }).then('out_of_step');
  });
});

describe('script', () => {
  it('stores the script with its speech text', () => {
    const state = given(readyForScript)
      .when({ type: 'WriteScript', text: '  **Купи** сейчас! 🔥 ', maxLength: 500 })
      .then([
        {
          type: 'ScriptWritten',
          data: { text: '**Купи** сейчас! 🔥', speechText: 'Купи сейчас!' },
        },
      ]);
    expect(state.draft.script?.speechText).toBe('Купи сейчас!');
  });

  it('rejects a script with nothing to say', () => {
    given(readyForScript)
      .when({ type: 'WriteScript', text: '🔥🔥 **  ** ', maxLength: 500 })
      .then('script_empty');
    given(readyForScript)
      .when({ type: 'WriteScript', text: '', maxLength: 500 })
      .then('script_empty');
    given(readyForScript)
      .when({ type: 'WriteScript', text: '?!...', maxLength: 500 })
      .then('script_empty');
  });

  it('counts the original characters against the limit', () => {
    given(readyForScript)
      .when({ type: 'WriteScript', text: 'ab😀', maxLength: 3 })
      .then([{ type: 'ScriptWritten', data: { text: 'ab😀', speechText: 'ab' } }]);
    given(readyForScript)
      .when({ type: 'WriteScript', text: '**abc**', maxLength: 5 })
      .thenRejects('script_too_long', { length: 7, maxLength: 5 });
  });
});

describe('caption style', () => {
  const pick = (style: 'none' | 'classic' | 'bold' | 'boxed') =>
    ({ type: 'SelectCaptionStyle', style }) as const;
  const request = (generationId: string) =>
    ({ type: 'RequestGeneration', generationId, cost: 1 }) as const;
  const talkingHead = {
    format: 'talking_head',
    characterId: 'c1',
    characterImageKey: 'characters/c1.png',
    characterGender: 'female',
    characterAge: '25-35',
    voiceId: 'v1',
    voiceProvider: 'espeak',
    script: 'Buy **now**',
    speechText: 'Buy now',
    backgroundVideoKey: null,
    overlayShape: null,
    cost: 1,
  } as const;
  const background = {
    ...talkingHead,
    format: 'background',
    backgroundVideoKey: 'uploads/a1.mp4',
    overlayShape: 'cutout',
  } as const;
  const paid = (generationId: string) =>
    ({
      type: 'CreditsSpent',
      data: { amount: 1, reason: 'generation', spendId: generationId, generationId },
    }) as const;

  it('is picked once the script is written, and kept for the next video', () => {
    const state = given(talkingHeadDraft)
      .when(pick('bold'))
      .then([{ type: 'CaptionStyleSelected', data: { style: 'bold' } }]);
    expect(state.draft.captionStyle).toBe('bold');
    const after = given([
      ...talkingHeadDraft,
      { type: 'CaptionStyleSelected', data: { style: 'bold' } },
    ])
      .when(request('gen-c'))
      .then([
        {
          type: 'GenerationRequested',
          data: { generationId: 'gen-c', ...talkingHead, captionStyle: 'bold' },
        },
        paid('gen-c'),
      ]);
    expect(after.draft.captionStyle).toBe('bold');
    expect(after.draft.script).toBeNull();
  });

  it('is refused before the script, naming what it needs', () => {
    given(readyForScript)
      .when(pick('boxed'))
      .thenRejects('out_of_step', { step: 'captions', needs: 'script', current: 'script' });
  });

  it('records nothing when the style already chosen is picked again', () => {
    given([...talkingHeadDraft, { type: 'CaptionStyleSelected', data: { style: 'boxed' } }])
      .when(pick('boxed'))
      .then([]);
  });

  it("gives a draft that never saw the step its format's old captions: none for the talking head, classic for the background", () => {
    given(talkingHeadDraft)
      .when(request('gen-d'))
      .then([
        {
          type: 'GenerationRequested',
          data: { generationId: 'gen-d', ...talkingHead, captionStyle: 'none' },
        },
        paid('gen-d'),
      ]);
    given(backgroundDraft)
      .when(request('gen-d'))
      .then([
        {
          type: 'GenerationRequested',
          data: { generationId: 'gen-d', ...background, captionStyle: 'classic' },
        },
        paid('gen-d'),
      ]);
  });

  it("turns the background format's captions off, or restyles them", () => {
    given([...backgroundDraft, { type: 'CaptionStyleSelected', data: { style: 'none' } }])
      .when(request('gen-e'))
      .then([
        {
          type: 'GenerationRequested',
          data: { generationId: 'gen-e', ...background, captionStyle: 'none' },
        },
        paid('gen-e'),
      ]);
    given([...backgroundDraft, { type: 'CaptionStyleSelected', data: { style: 'boxed' } }])
      .when(request('gen-e'))
      .then([
        {
          type: 'GenerationRequested',
          data: { generationId: 'gen-e', ...background, captionStyle: 'boxed' },
        },
        paid('gen-e'),
      ]);
  });
});

describe('generation request', () => {
  const request = { type: 'RequestGeneration', generationId: 'gen-1', cost: 1 } as const;
  const requestedTalkingHead = {
    generationId: 'gen-1',
    format: 'talking_head',
    characterId: 'c1',
    characterImageKey: 'characters/c1.png',
    characterGender: 'female',
    characterAge: '25-35',
    voiceId: 'v1',
    voiceProvider: 'espeak',
    script: 'Buy **now**',
    speechText: 'Buy now',
    backgroundVideoKey: null,
    overlayShape: null,
    captionStyle: 'none',
    cost: 1,
  } as const;
  const spent = {
    type: 'CreditsSpent',
    data: { amount: 1, reason: 'generation', spendId: 'gen-1', generationId: 'gen-1' },
  } as const;

  it('requests a talking-head generation and pays for it in the same decision', () => {
    const state = given(talkingHeadDraft)
      .when(request)
      .then([{ type: 'GenerationRequested', data: requestedTalkingHead }, spent]);
    expect(state.balance).toBe(9);
    expect(state.generationIds).toEqual(['gen-1']);
    expect(state.spends['gen-1']).toEqual({ amount: 1, refunded: false, generationId: 'gen-1' });
    // The user can make another with a new script only.
    expect(state.draft.script).toBeNull();
    expect(state.draft.format).toBe('talking_head');
    expect(state.draft.character?.characterId).toBe('c1');
    expect(state.draft.voice?.voiceId).toBe('v1');
  });

  it('uses the edited image', () => {
    given([...talkingHeadDraft, editRequested('e1', 1), edited('e1', 1)])
      .when(request)
      .then([
        {
          type: 'GenerationRequested',
          data: { ...requestedTalkingHead, characterImageKey: 'edits/e1.png' },
        },
        spent,
      ]);
  });

  it('requests a background generation with the default shape, the cut-out', () => {
    given(backgroundDraft)
      .when(request)
      .then([
        {
          type: 'GenerationRequested',
          data: {
            ...requestedTalkingHead,
            format: 'background',
            backgroundVideoKey: 'uploads/a1.mp4',
            overlayShape: 'cutout',
            captionStyle: 'classic',
          },
        },
        spent,
      ]);
  });

  it('uses the chosen shape', () => {
    given([...backgroundDraft, { type: 'OverlayShapeSelected', data: { shape: 'rounded_rect' } }])
      .when(request)
      .then([
        {
          type: 'GenerationRequested',
          data: {
            ...requestedTalkingHead,
            format: 'background',
            backgroundVideoKey: 'uploads/a1.mp4',
            overlayShape: 'rounded_rect',
            captionStyle: 'classic',
          },
        },
        spent,
      ]);
  });

  it('lists what an incomplete draft misses', () => {
    given(registered)
      .when(request)
      .thenRejects('draft_incomplete', { missing: ['format', 'character', 'voice', 'script'] });
    given([...registered, { type: 'FormatSelected', data: { format: 'background' } }])
      .when(request)
      .thenRejects('draft_incomplete', {
        missing: ['background_video', 'character', 'voice', 'script'],
      });
    given([...talkingHeadDraft, { type: 'FormatSelected', data: { format: 'background' } }])
      .when(request)
      .thenRejects('draft_incomplete', { missing: ['background_video'] });
    given([...talkingHeadDraft, { type: 'CharacterGenderChosen', data: { gender: 'male' } }])
      .when(request)
      .thenRejects('draft_incomplete', { missing: ['character'] });
  });

  it('needs the whole cost in the balance', () => {
    given(talkingHeadDraft)
      .when({ ...request, cost: 11 })
      .thenRejects('insufficient_credits', { balance: 10, required: 11 });
    given([
      ...talkingHeadDraft,
      { type: 'CreditsRevoked', data: { amount: 10, reason: 'x', revokeId: 'r' } },
    ])
      .when(request)
      .then('insufficient_credits');
  });

  it('rejects an invalid cost', () => {
    given(talkingHeadDraft)
      .when({ ...request, cost: 0 })
      .then('invalid_amount');
  });

  it('rejects a reused generation id', () => {
    given([...talkingHeadDraft, { type: 'GenerationRequested', data: requestedTalkingHead }, spent])
      .when(request)
      .then('duplicate_generation');
    given([
      ...talkingHeadDraft,
      {
        type: 'CreditsSpent',
        data: { amount: 1, reason: 'x', spendId: 'gen-1', generationId: null },
      },
    ])
      .when(request)
      .then('duplicate_generation');
  });
});
