import { Composer, InlineKeyboard, InputMediaBuilder } from 'grammy';
import type { Gender } from '../../domain/events/values.js';
import type { BotContext } from '../bot-context.js';
import { cb } from '../callback-data.js';
import { sendStoredMedia } from '../media.js';
import { answeredOutOfStep } from '../middleware/step-guard.js';
import { showScreen } from '../screens.js';
import { HTML, answer, isNotModified, show, withNav } from '../ui.js';
import { onAction, type ModuleEnv } from './module-env.js';

/**
 * Step 2: gender, then a gallery of portraits (all ages together, the age from the catalog), one
 * photo per message paged with editMessageMedia. The page lives in the button, not in memory.
 */
export function characterSelectionModule(env: ModuleEnv): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const { catalog } = env.deps;

  env.screens.define('gender', async (ctx) => {
    const { t, state } = ctx.scope;
    const keyboard = new InlineKeyboard()
      .text(t.btnFemale, cb({ kind: 'gender', gender: 'female' }))
      .text(t.btnMale, cb({ kind: 'gender', gender: 'male' }));
    const back = state.draft.format === 'background' ? 'shape' : 'create';
    await show(ctx, t.genderScreen, withNav(keyboard, t, { kind: 'screen', screen: back }));
  });

  env.screens.define('gallery', async (ctx) => {
    const gender = ctx.scope.state.draft.gender;
    if (gender === null) await showScreen(ctx, 'gender');
    else await showGallery(ctx, env, gender, 0);
  });

  onAction(env, 'gender', async (ctx, action) => {
    const outcome = await ctx.scope.exec({ type: 'ChooseCharacterGender', gender: action.gender });
    if (await answeredOutOfStep(ctx, outcome)) return;
    answer(ctx);
    await showGallery(ctx, env, action.gender, 0);
  });

  onAction(env, 'gallery', async (ctx, action) => {
    answer(ctx);
    await showGallery(ctx, env, action.gender, action.index);
  });

  onAction(env, 'character', async (ctx, action) => {
    const { t } = ctx.scope;
    const character = (await catalog.characters(action.gender, action.index, 1)).items[0];
    if (!character || character.gender !== action.gender) {
      // The catalog changed under an old button.
      answer(ctx, t.outdatedButton);
      await showGallery(ctx, env, action.gender, 0);
      return;
    }
    const outcome = await ctx.scope.exec({
      type: 'SelectCharacter',
      characterId: character.id,
      gender: character.gender,
      age: character.age,
      imageKey: character.imageKey,
    });
    if (await answeredOutOfStep(ctx, outcome)) return;
    answer(ctx);
    const message = ctx.callbackQuery?.message;
    if (message && message.photo) {
      await ctx
        .editMessageCaption({ caption: t.characterChosen(character.name, character.age), ...HTML })
        .catch((error: unknown) => {
          if (!isNotModified(error))
            env.deps.log.debug({ err: error }, 'could not mark the chosen character');
        });
    }
    await showScreen(ctx, 'character');
  });

  return composer;
}

async function showGallery(
  ctx: BotContext,
  env: ModuleEnv,
  gender: Gender,
  requested: number,
): Promise<void> {
  const { t } = ctx.scope;
  const first = await env.deps.catalog.characters(gender, 0, 1);
  if (first.total === 0) {
    await show(
      ctx,
      t.galleryEmpty,
      withNav(new InlineKeyboard(), t, { kind: 'screen', screen: 'gender' }),
    );
    return;
  }
  const index = Math.min(Math.max(0, requested), first.total - 1);
  const page = index === 0 ? first : await env.deps.catalog.characters(gender, index, 1);
  const character = page.items[0];
  if (!character) {
    await show(
      ctx,
      t.galleryEmpty,
      withNav(new InlineKeyboard(), t, { kind: 'screen', screen: 'gender' }),
    );
    return;
  }
  const total = page.total;
  const keyboard = new InlineKeyboard();
  if (index > 0) keyboard.text(t.btnPrev, cb({ kind: 'gallery', gender, index: index - 1 }));
  if (index < total - 1)
    keyboard.text(t.btnNext, cb({ kind: 'gallery', gender, index: index + 1 }));
  keyboard.row().text(t.btnChooseCharacter, cb({ kind: 'character', gender, index }));
  withNav(keyboard, t, { kind: 'screen', screen: 'gender' });
  const caption = t.galleryCaption(character.name, character.age, index + 1, total);

  const message = ctx.callbackQuery?.message;
  const chatId = ctx.chat?.id ?? ctx.scope.userId;
  if (message?.photo) {
    try {
      await sendStoredMedia(env, character.imageKey, (media) =>
        ctx.api.editMessageMedia(
          chatId,
          message.message_id,
          InputMediaBuilder.photo(media, { caption, ...HTML }),
          {
            reply_markup: keyboard,
          },
        ),
      );
      return;
    } catch (error) {
      if (isNotModified(error)) return;
      env.deps.log.debug({ err: error }, 'gallery edit failed; sending a new photo');
    }
  }
  await sendStoredMedia(env, character.imageKey, (media) =>
    ctx.api.sendPhoto(chatId, media, { caption, ...HTML, reply_markup: keyboard }),
  );
}
