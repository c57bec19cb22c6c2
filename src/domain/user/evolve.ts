import type { UserEvent } from '../events/user-events.js';
import type { AwaitedInputKind } from '../events/values.js';
import {
  findSpend,
  findStarsOrder,
  findStarsPayment,
  type DraftCharacter,
  type UserState,
  type WizardDraft,
} from './state.js';
import { voiceLanguagesOf } from './voice-languages.js';

const withDraft = (state: UserState, patch: Partial<WizardDraft>): UserState => ({
  ...state,
  draft: { ...state.draft, ...patch },
});

const withCharacter = (state: UserState, patch: Partial<DraftCharacter>): UserState => {
  const character = state.draft.character;
  return character ? withDraft(state, { character: { ...character, ...patch } }) : state;
};

// The input the bot waited for has arrived, so a restart must not ask for it again.
const satisfied = (state: UserState, input: AwaitedInputKind): UserState =>
  state.awaitedInput === input ? { ...state, awaitedInput: null } : state;

export function evolveUser(state: UserState, event: UserEvent): UserState {
  switch (event.type) {
    case 'UserRegistered':
      return {
        ...state,
        registered: true,
        telegramId: event.data.telegramId,
        username: event.data.username,
        firstName: event.data.firstName,
        language: event.data.language,
      };
    case 'LanguageChanged':
      return { ...state, language: event.data.language };
    case 'CreditsGranted':
      return { ...state, balance: state.balance + event.data.amount };
    case 'CreditsRevoked':
      return { ...state, balance: state.balance - event.data.amount };
    case 'CreditsSpent':
      return {
        ...state,
        balance: state.balance - event.data.amount,
        spends: {
          ...state.spends,
          [event.data.spendId]: {
            amount: event.data.amount,
            refunded: false,
            generationId: event.data.generationId,
          },
        },
      };
    case 'CreditsRefunded': {
      const spent = findSpend(state, event.data.spendId);
      return {
        ...state,
        balance: state.balance + event.data.amount,
        spends: spent
          ? { ...state.spends, [event.data.spendId]: { ...spent, refunded: true } }
          : state.spends,
      };
    }
    case 'TopUpRequested':
      return satisfied(state, 'topup_note');
    case 'FeedbackSubmitted':
      return satisfied(
        { ...state, openFeedbackIds: [...state.openFeedbackIds, event.data.feedbackId] },
        'feedback',
      );
    case 'FeedbackAnswered':
      return {
        ...state,
        openFeedbackIds: state.openFeedbackIds.filter((id) => id !== event.data.feedbackId),
        answeredFeedbackIds: [...state.answeredFeedbackIds, event.data.feedbackId],
      };
    case 'InputAwaited':
      return { ...state, awaitedInput: event.data.input };
    case 'FormatSelected':
      // Going back from talking head to background keeps nothing to lose; the other way the
      // background clip no longer applies.
      return withDraft(state, {
        format: event.data.format,
        ...(event.data.format === 'talking_head' ? { backgroundVideo: null } : {}),
      });
    case 'BackgroundVideoUploaded':
      return satisfied(
        withDraft(state, { backgroundVideo: { ...event.data } }),
        'background_video',
      );
    case 'OverlayShapeSelected':
      return withDraft(state, { overlayShape: event.data.shape });
    case 'CaptionStyleSelected':
      return withDraft(state, { captionStyle: event.data.style });
    case 'CharacterGenderChosen':
      return withDraft(state, { gender: event.data.gender, character: null });
    case 'CharacterSelected':
      // A new character starts a fresh edit budget.
      return withDraft(state, {
        gender: event.data.gender,
        character: {
          characterId: event.data.characterId,
          gender: event.data.gender,
          age: event.data.age,
          originalImageKey: event.data.imageKey,
          imageKey: event.data.imageKey,
          editIterations: 0,
          pendingEdit: null,
          lastEdit: null,
        },
      });
    case 'CharacterEditRequested':
      return satisfied(
        withCharacter(state, {
          pendingEdit: {
            editId: event.data.editId,
            prompt: event.data.prompt,
            iteration: event.data.iteration,
          },
        }),
        'edit_prompt',
      );
    case 'CharacterEdited':
      return withCharacter(state, {
        imageKey: event.data.imageKey,
        editIterations: event.data.iteration,
        pendingEdit: null,
        lastEdit: { editId: event.data.editId, iteration: event.data.iteration, accepted: false },
      });
    case 'CharacterEditFailed':
      return state.draft.character?.pendingEdit?.editId === event.data.editId
        ? withCharacter(state, { pendingEdit: null })
        : state;
    case 'CharacterEditAccepted': {
      const last = state.draft.character?.lastEdit;
      return last && last.editId === event.data.editId
        ? withCharacter(state, { lastEdit: { ...last, accepted: true } })
        : state;
    }
    case 'CharacterEditReverted': {
      // The iteration count stays: reverting must not refill the edit budget.
      const character = state.draft.character;
      return character
        ? withCharacter(state, {
            imageKey: character.originalImageKey,
            pendingEdit: null,
            lastEdit: null,
          })
        : state;
    }
    case 'VoiceSelected':
      return withDraft(state, {
        voice: {
          voiceId: event.data.voiceId,
          provider: event.data.provider,
          languages: voiceLanguagesOf(event.data),
        },
      });
    case 'ScriptWritten':
      return satisfied(
        withDraft(state, {
          script: {
            text: event.data.text,
            speechText: event.data.speechText,
            messageId: event.data.messageId ?? null,
          },
        }),
        'script',
      );
    case 'GenerationRequested': {
      // Format, character and voice stay so "make another" needs only a new script.
      const scriptMessage = state.draft.script?.messageId ?? null;
      const usedScripts =
        scriptMessage === null
          ? state.usedScripts
          : [
              ...state.usedScripts,
              { messageId: scriptMessage, generationId: event.data.generationId },
            ];
      return withDraft(
        { ...state, generationIds: [...state.generationIds, event.data.generationId], usedScripts },
        { script: null },
      );
    }
    case 'StarsInvoiceIssued':
      return {
        ...state,
        starsOrders: {
          ...state.starsOrders,
          [event.data.orderId]: {
            packId: event.data.packId,
            credits: event.data.credits,
            stars: event.data.stars,
            paidBy: [],
          },
        },
      };
    case 'StarsPaymentReceived': {
      // The balance moves with the CreditsGranted appended beside it.
      const order = findStarsOrder(state, event.data.orderId);
      return {
        ...state,
        starsOrders: order
          ? {
              ...state.starsOrders,
              [event.data.orderId]: { ...order, paidBy: [...order.paidBy, event.data.chargeId] },
            }
          : state.starsOrders,
        starsPayments: {
          ...state.starsPayments,
          [event.data.chargeId]: {
            orderId: event.data.orderId,
            credits: event.data.credits,
            stars: event.data.stars,
            refunded: false,
          },
        },
      };
    }
    case 'StarsPaymentRefunded': {
      const payment = findStarsPayment(state, event.data.chargeId);
      return payment
        ? {
            ...state,
            starsPayments: {
              ...state.starsPayments,
              [event.data.chargeId]: { ...payment, refunded: true },
            },
          }
        : state;
    }
    default:
      return unreachable(event);
  }
}

function unreachable(event: never): never {
  throw new Error(`Unhandled user event ${JSON.stringify(event)}`);
}
