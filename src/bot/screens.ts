import type { AwaitedInputKind } from '../domain/events/values.js';
import type { MissingDraftField, WizardDraft } from '../domain/user/state.js';
import type { CurrentStep, WizardStep } from '../domain/user/wizard-steps.js';
import type { BotContext } from './bot-context.js';
import type { Screen } from './callback-data.js';

type Renderer = (ctx: BotContext) => Promise<void>;

interface ScreenDefinition {
  readonly render: Renderer;
  /** The input the screen asks for; every other screen clears a pending one. */
  readonly awaits: AwaitedInputKind | null;
}

/**
 * The screens of one bot, defined by its modules, so that a step can name the next or previous one
 * without importing its module (the wizard goes both ways). One registry per bot instance.
 */
export class ScreenRegistry {
  private readonly screens = new Map<Screen, ScreenDefinition>();

  define(screen: Screen, render: Renderer, options: { awaits?: AwaitedInputKind } = {}): void {
    if (this.screens.has(screen)) throw new Error(`screen "${screen}" is defined twice`);
    this.screens.set(screen, { render, awaits: options.awaits ?? null });
  }

  get(screen: Screen): ScreenDefinition | undefined {
    return this.screens.get(screen);
  }
}

/** Renders a screen after recording (as a command) which input, if any, it now waits for. */
export async function showScreen(ctx: BotContext, screen: Screen): Promise<void> {
  const definition = ctx.scope.screens.get(screen);
  if (!definition) throw new Error(`screen "${screen}" is not defined; is its module installed?`);
  await ctx.scope.awaitInput(definition.awaits);
  await definition.render(ctx);
}

/** The screen that fills a missing part of the draft. */
export function screenForStep(step: MissingDraftField, draft: WizardDraft): Screen {
  switch (step) {
    case 'format':
      return 'create';
    case 'background_video':
      return 'background';
    case 'character':
      return draft.gender === null ? 'gender' : 'gallery';
    case 'voice':
      return 'voices';
    case 'script':
      return 'script';
    default:
      return 'main';
  }
}

/**
 * The screen where the user continues from `step` (the confirmation when the draft is complete).
 */
export function screenForCurrentStep(step: CurrentStep, draft: WizardDraft): Screen {
  return step === 'confirm' ? 'confirm' : screenForStep(step, draft);
}

/** The wizard step a screen belongs to; null for screens outside the wizard (menus, history…). */
export function stepOfScreen(screen: Screen): WizardStep | null {
  switch (screen) {
    case 'create':
      return 'format';
    case 'background':
      return 'background_video';
    case 'shape':
      return 'overlay_shape';
    case 'gender':
      return 'gender';
    case 'gallery':
      return 'character';
    case 'character':
      return 'character_edit';
    case 'voices':
      return 'voice';
    case 'script':
      return 'script';
    case 'captions':
      return 'captions';
    case 'confirm':
      return 'confirm';
    default:
      return null;
  }
}
