import { InlineKeyboard, type MiddlewareFn } from 'grammy';
import { z } from 'zod';
import type { UserCommandOutcome } from '../../commands/user-commands.js';
import {
  currentStep,
  stepBlocker,
  type CurrentStep,
  type OutOfStep,
  type WizardStep,
} from '../../domain/user/wizard-steps.js';
import type { BotContext } from '../bot-context.js';
import { cb, type CallbackAction } from '../callback-data.js';
import { screenForCurrentStep, stepOfScreen } from '../screens.js';
import { answer, send, withNav } from '../ui.js';

/**
 * The wizard step a button belongs to; null for buttons outside the wizard (menus, examples,
 * history, credits, language) and for Generate, whose module answers an incomplete draft itself.
 */
export function stepOfAction(action: CallbackAction): WizardStep | null {
  switch (action.kind) {
    case 'screen':
      return stepOfScreen(action.screen);
    case 'format':
      return 'format';
    case 'shape':
      return 'overlay_shape';
    case 'gender':
      return 'gender';
    case 'gallery':
    case 'character':
      return 'character';
    case 'edit':
    case 'editAccept':
      return 'character_edit';
    case 'voices':
    case 'voicePreview':
    case 'voice':
    case 'voiceOutdated':
      return 'voice';
    case 'captions':
      return 'captions';
    default:
      return null;
  }
}

/**
 * Buttons are checked against the draft before any module sees them: a button of a step that is
 * not open (an old message, another screen's button, a forged payload) gets the out-of-step answer
 * and nothing is appended — not even the "awaited input" a screen would record. The decider
 * enforces the same rules on the commands, for the messages and races this cannot see.
 */
export function wizardStepGuard(): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const action = ctx.scope.action;
    const step = action ? stepOfAction(action) : null;
    if (step !== null) {
      const draft = ctx.scope.state.draft;
      const needs = stepBlocker(draft, step);
      if (needs !== null) {
        await replyOutOfStep(ctx, { step, needs, current: currentStep(draft) });
        return;
      }
    }
    await next();
  };
}

/**
 * A keyboard whose first button continues the wizard where the draft stands, then the main menu.
 */
export function currentStepKeyboard(ctx: BotContext): InlineKeyboard {
  // A user who never started a draft has nowhere to continue: the main menu is the way in.
  const draft = ctx.scope.state.draft;
  return draft.format === null
    ? withNav(new InlineKeyboard(), ctx.scope.t)
    : goToStepKeyboard(ctx, currentStep(draft));
}

function goToStepKeyboard(ctx: BotContext, step: CurrentStep): InlineKeyboard {
  const { t, state } = ctx.scope;
  const keyboard = new InlineKeyboard().text(
    t.btnGoToStep(t.stepName(step)),
    cb({ kind: 'screen', screen: screenForCurrentStep(step, state.draft) }),
  );
  return withNav(keyboard, t);
}

/**
 * The one answer to anything out of step, in the user's language: a short note on the button,
 * and a message saying what is missing, that nothing changed, and where to continue (a button).
 */
export async function replyOutOfStep(ctx: BotContext, outOfStep: OutOfStep): Promise<void> {
  const { t } = ctx.scope;
  const needs = t.stepNeeds(outOfStep.needs);
  answer(ctx, needs);
  ctx.scope.deps.log.info(
    { userId: ctx.scope.userId, stage: 'wizard', ...outOfStep },
    'out-of-step input refused',
  );
  await send(
    ctx,
    t.outOfStep(needs, t.stepName(outOfStep.current)),
    goToStepKeyboard(ctx, outOfStep.current),
  );
}

// Typed against the domain's `OutOfStep`: a value the domain does not know fails to compile; one it
// adds and this lacks fails loudly at the first such rejection (the error boundary apologises).
const outOfStepDetails: z.ZodType<OutOfStep> = z.object({
  step: z.enum([
    'format',
    'background_video',
    'overlay_shape',
    'gender',
    'character',
    'character_edit',
    'voice',
    'script',
    'captions',
    'confirm',
  ]),
  needs: z.enum([
    'format',
    'background_format',
    'background_video',
    'gender',
    'character',
    'voice',
    'script',
  ]),
  current: z.enum(['format', 'background_video', 'character', 'voice', 'script', 'confirm']),
});

/** Answers an `out_of_step` rejection and returns true; any other outcome is left to the caller. */
export async function answeredOutOfStep(
  ctx: BotContext,
  outcome: UserCommandOutcome,
): Promise<boolean> {
  if (outcome.ok || outcome.rejection.code !== 'out_of_step') return false;
  // The decider always sets these details; anything else is a bug for the error boundary.
  await replyOutOfStep(ctx, outOfStepDetails.parse(outcome.rejection.details));
  return true;
}
