import { accept, reject, type Decision } from '../decider.js';
import { defaultCaptionStyle, defaultOverlayShape } from '../events/values.js';
import type {
  UserEvent,
  UserEventData,
  UserEventOf,
  UserEventType,
} from '../events/user-events.js';
import { checkVoiceSpeaks } from '../language/voice-speaks.js';
import { backgroundClipLimit, clipFits } from './background-clip.js';
import type * as C from './commands.js';
import type { UserRejection } from './rejections.js';
import { isSpeakable, toSpeechText } from './speech-text.js';
import { issueStarsInvoice, receiveStarsPayment, refundStarsPayment } from './stars-payments.js';
import { findSpend, missingDraftFields, type UserState } from './state.js';
import {
  currentStep,
  stepBlocker,
  type OutOfStep,
  type StepRequirement,
  type WizardStep,
} from './wizard-steps.js';

export type UserDecision = Decision<UserEvent, UserRejection>;

/** MP4, MOV and AVI, as ffprobe-based adapters and Telegram report them. */
export const BACKGROUND_VIDEO_MIME_TYPES: readonly string[] = [
  'video/mp4',
  'video/quicktime',
  'video/x-msvideo',
  'video/avi',
  'video/msvideo',
];

const event = <T extends UserEventType>(type: T, data: UserEventData<T>): UserEventOf<T> => ({
  type,
  data,
});

const isPositiveInt = (n: number): boolean => Number.isSafeInteger(n) && n > 0;
const isBlank = (text: string): boolean => text.trim().length === 0;
const codePoints = (text: string): number => [...text].length;

export function decideUser(command: C.UserCommand, state: UserState): UserDecision {
  if (command.type === 'RegisterUser') return register(command, state);
  if (!state.registered) return reject('not_registered', 'The user has not started the bot yet');
  switch (command.type) {
    case 'ChangeLanguage':
      // Repeating the current choice is not news: no event, so projections see real changes only.
      return command.language === state.language
        ? accept()
        : accept(event('LanguageChanged', { language: command.language }));
    case 'GrantCredits':
      return grant(command);
    case 'RevokeCredits':
      return revoke(command, state);
    case 'SpendCredits':
      return spend(command, state);
    case 'RefundCredits':
      return refund(command, state);
    case 'RequestTopUp':
      return requestTopUp(command);
    case 'SubmitFeedback':
      return submitFeedback(command, state);
    case 'AnswerFeedback':
      return answerFeedback(command, state);
    case 'AwaitInput':
      return command.input === state.awaitedInput
        ? accept()
        : accept(event('InputAwaited', { input: command.input }));
    case 'SelectFormat':
      return accept(event('FormatSelected', { format: command.format }));
    case 'UploadBackgroundVideo':
      return checkStep(state, 'background_video') ?? uploadBackgroundVideo(command);
    case 'SelectOverlayShape':
      return (
        checkStep(state, 'overlay_shape') ??
        accept(event('OverlayShapeSelected', { shape: command.shape }))
      );
    case 'SelectCaptionStyle':
      // Keeping the style already chosen is confirming it, not news.
      return (
        checkStep(state, 'captions') ??
        (command.style === state.draft.captionStyle
          ? accept()
          : accept(event('CaptionStyleSelected', { style: command.style })))
      );
    case 'ChooseCharacterGender':
      // The same gender again is browsing back to the gallery, not news: the character stays.
      return (
        checkStep(state, 'gender') ??
        (command.gender === state.draft.gender
          ? accept()
          : accept(event('CharacterGenderChosen', { gender: command.gender })))
      );
    case 'SelectCharacter':
      return (
        checkStep(state, 'character') ??
        accept(
          event('CharacterSelected', {
            characterId: command.characterId,
            gender: command.gender,
            age: command.age,
            imageKey: command.imageKey,
          }),
        )
      );
    case 'RequestCharacterEdit':
      return checkStep(state, 'character_edit') ?? requestCharacterEdit(command, state);
    case 'RecordCharacterEdit':
      return recordCharacterEdit(command, state);
    case 'RecordCharacterEditFailure':
      return recordCharacterEditFailure(command, state);
    case 'AcceptCharacterEdit':
      return checkStep(state, 'character_edit') ?? acceptCharacterEdit(command, state);
    case 'RevertCharacterEdit':
      return checkStep(state, 'character_edit') ?? revertCharacterEdit(state);
    case 'SelectVoice':
      return (
        checkStep(state, 'voice') ??
        accept(
          event('VoiceSelected', {
            voiceId: command.voiceId,
            provider: command.provider,
            ...(command.languages === undefined ? {} : { languages: [...command.languages] }),
          }),
        )
      );
    case 'WriteScript':
      return (
        checkStep(state, 'script') ??
        writeScript(command.text, command.maxLength, command.messageId ?? null)
      );
    case 'EditScript':
      return editScript(command, state);
    case 'RequestGeneration':
      return requestGeneration(command, state);
    case 'IssueStarsInvoice':
      return issueStarsInvoice(command, state);
    case 'ReceiveStarsPayment':
      return receiveStarsPayment(command, state);
    case 'RefundStarsPayment':
      return refundStarsPayment(command, state);
    default:
      return unreachable(command);
  }
}

function unreachable(command: never): never {
  throw new Error(`Unhandled user command ${JSON.stringify(command)}`);
}

/** A wizard command is refused, changing nothing, while anything its step builds on is missing. */
function checkStep(state: UserState, step: WizardStep): UserDecision | null {
  const needs = stepBlocker(state.draft, step);
  return needs === null ? null : outOfStep(state, step, needs);
}

function outOfStep(state: UserState, step: WizardStep, needs: StepRequirement): UserDecision {
  const details: OutOfStep = { step, needs, current: currentStep(state.draft) };
  return reject('out_of_step', `The ${step} step needs ${needs} first`, { ...details });
}

function register(command: C.RegisterUser, state: UserState): UserDecision {
  if (state.registered) return reject('already_registered', 'The user is already registered');
  if (!isPositiveInt(command.telegramId)) {
    return reject('invalid_telegram_id', 'A Telegram user id is a positive integer', {
      telegramId: command.telegramId,
    });
  }
  if (!Number.isSafeInteger(command.welcomeCredits) || command.welcomeCredits < 0) {
    return reject('invalid_amount', 'Welcome credits must be a non-negative integer', {
      amount: command.welcomeCredits,
    });
  }
  const registered = event('UserRegistered', {
    telegramId: command.telegramId,
    username: command.username,
    firstName: command.firstName,
    language: command.language,
  });
  // Both in one append: a user never exists without the welcome credits they were promised.
  return command.welcomeCredits === 0
    ? accept<UserEvent>(registered)
    : accept<UserEvent>(
        registered,
        event('CreditsGranted', {
          amount: command.welcomeCredits,
          reason: 'welcome',
          grantId: command.grantId,
        }),
      );
}

function checkAmount(amount: number): UserDecision | null {
  return isPositiveInt(amount)
    ? null
    : reject('invalid_amount', 'An amount is a positive integer', { amount });
}

function checkReason(reason: string): UserDecision | null {
  return isBlank(reason) ? reject('reason_required', 'A credit change needs a reason') : null;
}

function checkBalance(state: UserState, amount: number): UserDecision | null {
  return state.balance >= amount
    ? null
    : reject('insufficient_credits', 'Not enough credits', {
        balance: state.balance,
        required: amount,
      });
}

function grant(command: C.GrantCredits): UserDecision {
  return (
    checkAmount(command.amount) ??
    checkReason(command.reason) ??
    accept(
      event('CreditsGranted', {
        amount: command.amount,
        reason: command.reason,
        grantId: command.grantId,
      }),
    )
  );
}

function revoke(command: C.RevokeCredits, state: UserState): UserDecision {
  return (
    checkAmount(command.amount) ??
    checkReason(command.reason) ??
    checkBalance(state, command.amount) ??
    accept(
      event('CreditsRevoked', {
        amount: command.amount,
        reason: command.reason,
        revokeId: command.revokeId,
      }),
    )
  );
}

function spend(command: C.SpendCredits, state: UserState): UserDecision {
  return (
    checkAmount(command.amount) ??
    checkReason(command.reason) ??
    (findSpend(state, command.spendId)
      ? reject('duplicate_spend', 'This spend id was already used', { spendId: command.spendId })
      : null) ??
    checkBalance(state, command.amount) ??
    accept(
      event('CreditsSpent', {
        amount: command.amount,
        reason: command.reason,
        spendId: command.spendId,
        generationId: command.generationId ?? null,
      }),
    )
  );
}

function refund(command: C.RefundCredits, state: UserState): UserDecision {
  const spent = findSpend(state, command.spendId);
  if (!spent)
    return reject('unknown_spend', 'Nothing was spent under this id', { spendId: command.spendId });
  if (spent.refunded)
    return reject('already_refunded', 'This spend was already refunded', {
      spendId: command.spendId,
    });
  return (
    checkReason(command.reason) ??
    accept(
      event('CreditsRefunded', {
        amount: spent.amount,
        reason: command.reason,
        spendId: command.spendId,
        generationId: spent.generationId,
      }),
    )
  );
}

function requestTopUp(command: C.RequestTopUp): UserDecision {
  if (command.amount !== null) {
    const invalid = checkAmount(command.amount);
    if (invalid) return invalid;
  }
  const note = command.note === null || isBlank(command.note) ? null : command.note.trim();
  return accept(
    event('TopUpRequested', { requestId: command.requestId, amount: command.amount, note }),
  );
}

function submitFeedback(command: C.SubmitFeedback, state: UserState): UserDecision {
  const text = command.text.trim();
  if (text.length === 0) return reject('feedback_empty', 'Feedback text is empty');
  if (command.maxLength !== undefined && codePoints(text) > command.maxLength) {
    return reject('feedback_too_long', 'Feedback text is too long', {
      length: codePoints(text),
      maxLength: command.maxLength,
    });
  }
  if (
    state.openFeedbackIds.includes(command.feedbackId) ||
    state.answeredFeedbackIds.includes(command.feedbackId)
  ) {
    return reject('duplicate_feedback', 'This feedback id was already used', {
      feedbackId: command.feedbackId,
    });
  }
  return accept(event('FeedbackSubmitted', { feedbackId: command.feedbackId, text }));
}

function answerFeedback(command: C.AnswerFeedback, state: UserState): UserDecision {
  if (state.answeredFeedbackIds.includes(command.feedbackId)) {
    return reject('already_answered', 'This feedback was already answered', {
      feedbackId: command.feedbackId,
    });
  }
  if (!state.openFeedbackIds.includes(command.feedbackId)) {
    return reject('unknown_feedback', 'No such feedback from this user', {
      feedbackId: command.feedbackId,
    });
  }
  const text = command.text.trim();
  if (text.length === 0) return reject('feedback_empty', 'The answer is empty');
  return accept(
    event('FeedbackAnswered', { feedbackId: command.feedbackId, text, adminId: command.adminId }),
  );
}

function uploadBackgroundVideo(command: C.UploadBackgroundVideo): UserDecision {
  if (!BACKGROUND_VIDEO_MIME_TYPES.includes(command.mimeType.toLowerCase())) {
    return reject('unsupported_video_type', 'Only MP4, MOV and AVI videos are accepted', {
      mimeType: command.mimeType,
      allowed: BACKGROUND_VIDEO_MIME_TYPES,
    });
  }
  const { durationSec, sizeBytes, width, height } = command;
  const usable =
    Number.isFinite(durationSec) &&
    durationSec > 0 &&
    isPositiveInt(sizeBytes) &&
    isPositiveInt(width) &&
    isPositiveInt(height);
  if (!usable) {
    return reject('invalid_video', 'The video has no usable duration, size or dimensions', {
      durationSec,
      sizeBytes,
      width,
      height,
    });
  }
  if (!clipFits(durationSec, { ...backgroundClipLimit, labelSec: command.maxDurationSec })) {
    return reject('video_too_long', 'The video is too long', {
      durationSec,
      maxDurationSec: command.maxDurationSec,
    });
  }
  if (sizeBytes > command.maxSizeBytes) {
    return reject('video_too_large', 'The video file is too large', {
      sizeBytes,
      maxSizeBytes: command.maxSizeBytes,
    });
  }
  return accept(
    event('BackgroundVideoUploaded', {
      assetId: command.assetId,
      storageKey: command.storageKey,
      durationSec,
      sizeBytes,
      width,
      height,
      mimeType: command.mimeType.toLowerCase(),
    }),
  );
}

function requestCharacterEdit(command: C.RequestCharacterEdit, state: UserState): UserDecision {
  const character = state.draft.character;
  if (!character) return outOfStep(state, 'character_edit', 'character');
  if (character.pendingEdit) {
    return reject('edit_in_progress', 'An edit of this character is still running', {
      editId: character.pendingEdit.editId,
    });
  }
  const prompt = command.prompt.trim();
  if (prompt.length === 0) return reject('prompt_empty', 'The edit prompt is empty');
  const iteration = character.editIterations + 1;
  if (iteration > command.maxIterations) {
    return reject('edit_limit_reached', 'No edits left for this character', {
      iterations: character.editIterations,
      maxIterations: command.maxIterations,
    });
  }
  return accept(event('CharacterEditRequested', { editId: command.editId, prompt, iteration }));
}

function recordCharacterEdit(command: C.RecordCharacterEdit, state: UserState): UserDecision {
  const pending = state.draft.character?.pendingEdit;
  // A result for an edit the user has since reverted or replaced is stale: it must not land.
  if (!pending || pending.editId !== command.editId) {
    return reject('unknown_edit', 'No such edit is running', { editId: command.editId });
  }
  return accept(
    event('CharacterEdited', {
      editId: command.editId,
      imageKey: command.imageKey,
      iteration: pending.iteration,
      provider: command.provider,
    }),
  );
}

function recordCharacterEditFailure(
  command: C.RecordCharacterEditFailure,
  state: UserState,
): UserDecision {
  const pending = state.draft.character?.pendingEdit;
  if (!pending || pending.editId !== command.editId) {
    return reject('unknown_edit', 'No such edit is running', { editId: command.editId });
  }
  return accept(event('CharacterEditFailed', { editId: command.editId, reason: command.reason }));
}

function acceptCharacterEdit(command: C.AcceptCharacterEdit, state: UserState): UserDecision {
  const last = state.draft.character?.lastEdit;
  if (!last || last.editId !== command.editId) {
    return reject('unknown_edit', 'No such edit to accept', { editId: command.editId });
  }
  return last.accepted
    ? accept()
    : accept(event('CharacterEditAccepted', { editId: command.editId }));
}

function revertCharacterEdit(state: UserState): UserDecision {
  const character = state.draft.character;
  if (!character) return outOfStep(state, 'character_edit', 'character');
  if (character.imageKey === character.originalImageKey && character.pendingEdit === null) {
    return reject('nothing_to_revert', 'The character is already the original');
  }
  return accept(event('CharacterEditReverted', {}));
}

function writeScript(text: string, maxLength: number, messageId: number | null): UserDecision {
  const length = codePoints(text);
  if (length > maxLength) {
    return reject('script_too_long', 'The script is too long', { length, maxLength });
  }
  const speechText = toSpeechText(text);
  if (!isSpeakable(speechText)) return reject('script_empty', 'The script has nothing to say');
  return accept(
    event('ScriptWritten', {
      text: text.trim(),
      speechText,
      ...(messageId === null ? {} : { messageId }),
    }),
  );
}

// Amending the script in place is not taking a step: it needs the script, not an open script step.
function editScript(command: C.EditScript, state: UserState): UserDecision {
  const used = state.usedScripts.find((script) => script.messageId === command.messageId);
  if (used) {
    return reject('script_already_used', 'A generation was already made from this script', {
      messageId: command.messageId,
      generationId: used.generationId,
    });
  }
  const script = state.draft.script;
  if (!script || script.messageId !== command.messageId) {
    return reject('not_the_script', 'This message is not the script of the draft', {
      messageId: command.messageId,
    });
  }
  const decision = writeScript(command.text, command.maxLength, command.messageId);
  if (!decision.ok) return decision;
  // Telegram also reports edits that leave the text as it was (a link preview appearing…): not
  // news.
  return command.text.trim() === script.text ? accept() : decision;
}

// Before any charge: a voice reading a script it cannot say spells it out letter by letter.
function checkVoiceLanguage(
  voiceLanguages: readonly string[],
  speechText: string,
): UserDecision | null {
  const check = checkVoiceSpeaks(voiceLanguages, speechText);
  if (check.ok) return null;
  return reject('voice_language_mismatch', 'The chosen voice cannot read the script', {
    language: check.part.likely,
    system: check.part.system,
    possible: [...check.part.possible],
    voiceLanguages: [...voiceLanguages],
  });
}

function requestGeneration(command: C.RequestGeneration, state: UserState): UserDecision {
  const invalid = checkAmount(command.cost);
  if (invalid) return invalid;
  if (
    state.generationIds.includes(command.generationId) ||
    findSpend(state, command.generationId)
  ) {
    return reject('duplicate_generation', 'This generation id was already used', {
      generationId: command.generationId,
    });
  }
  const { draft } = state;
  const missing = missingDraftFields(draft);
  const { format, character, voice, script } = draft;
  if (missing.length > 0 || !format || !character || !voice || !script) {
    return reject('draft_incomplete', 'The wizard is not finished', { missing });
  }
  const unspoken = checkVoiceLanguage(voice.languages, script.speechText);
  if (unspoken) return unspoken;
  const lacking = checkBalance(state, command.cost);
  if (lacking) return lacking;
  const background = format === 'background';
  // Requested and paid in one append: a generation never exists unpaid, a credit never leaves
  // without a generation, and the balance check above holds under optimistic concurrency.
  return accept<UserEvent>(
    event('GenerationRequested', {
      generationId: command.generationId,
      format,
      characterId: character.characterId,
      characterImageKey: character.imageKey,
      characterGender: character.gender,
      characterAge: character.age,
      voiceId: voice.voiceId,
      voiceProvider: voice.provider,
      script: script.text,
      speechText: script.speechText,
      backgroundVideoKey: background ? (draft.backgroundVideo?.storageKey ?? null) : null,
      overlayShape: background ? (draft.overlayShape ?? defaultOverlayShape) : null,
      captionStyle: draft.captionStyle ?? defaultCaptionStyle(format),
      cost: command.cost,
      ...(command.progressMessage
        ? {
            progressMessage: {
              chatId: command.progressMessage.chatId,
              messageId: command.progressMessage.messageId,
            },
          }
        : {}),
    }),
    event('CreditsSpent', {
      amount: command.cost,
      reason: 'generation',
      spendId: command.generationId,
      generationId: command.generationId,
    }),
  );
}
