import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedUser } from '../dev/telegram-emulator/index.js';
import { BotWorld } from '../testing/bot/bot-world.js';

// Character editing with a (fake) cloud image editor: accept / again (bounded) / revert.

let world: BotWorld;

beforeAll(async () => {
  world = await BotWorld.open({ imageEditorAvailable: true });
});

afterAll(async () => {
  await world?.close();
});

async function atLookScreen(id: number): Promise<SimulatedUser> {
  const user = world.user({ id, firstName: `E${id}`, languageCode: 'en' });
  await user.sendCommand('/create_ads');
  await user.waitFor('Step 1 · Format');
  await user.pressButton('🗣 Talking head');
  await user.waitFor('Who should speak');
  await user.pressButton('👨 Man');
  await user.waitFor((m) => m.media?.kind === 'photo');
  await user.pressButton('✅ Choose');
  await user.waitFor('Step 2b');
  return user;
}

async function edit(
  user: SimulatedUser,
  button: string | RegExp,
  prompt: string,
  left: number,
): Promise<void> {
  await user.pressButton(button);
  await user.waitFor('Describe the change');
  await user.sendText(prompt);
  await user.waitFor('Editing the image');
  await user.waitFor(
    (m) => m.media?.kind === 'photo' && (m.caption ?? '').includes(`Edits left: ${left}`),
  );
}

describe('character editing', () => {
  it('edit, edit again, revert, edit to the limit, accept', async () => {
    const user = await atLookScreen(7001);
    await edit(user, '✏️ Edit with AI', 'a red hoodie', 2);
    await edit(user, '🔁 Edit again (2 left)', 'curly hair', 1);
    let state = await world.users.state(7001);
    expect(state.draft.character?.imageKey).toMatch(/^edits\/7001\/e-7001-\d+\.png$/);
    expect(await world.storage.exists(state.draft.character?.imageKey ?? '')).toBe(true);

    await user.pressButton('↩️ Back to the original');
    await user.waitFor('Back to the original look');
    state = await world.users.state(7001);
    expect(state.draft.character?.imageKey).toBe(state.draft.character?.originalImageKey);
    expect(state.draft.character?.editIterations).toBe(2); // reverting does not refill the budget

    await edit(user, '✏️ Edit with AI', 'glasses', 0);
    const last = user.lastBotMessage();
    expect(last?.inlineKeyboard?.flat().map((b) => b.text)).not.toContain(
      expect.stringContaining('Edit again'),
    );
    expect(world.imageEditor.requests.map((r) => r.prompt)).toEqual([
      'a red hoodie',
      'curly hair',
      'glasses',
    ]);

    await user.pressButton('✅ Use this');
    await user.waitFor('Step 3 · Voice');
    const types = await world.eventTypes(7001);
    expect(types.filter((t) => t === 'CharacterEditRequested')).toHaveLength(3);
    expect(types.filter((t) => t === 'CharacterEdited')).toHaveLength(3);
    expect(types.filter((t) => t === 'CharacterEditReverted')).toHaveLength(1);
    expect(types.filter((t) => t === 'CharacterEditAccepted')).toHaveLength(1);

    // The budget is spent: the edit button explains instead of asking.
    await user.pressCallbackData('v1|e|o');
    await user.waitFor('You have used all 3 edits');
  });

  it('a refused edit is explained and costs no iteration; an empty prompt is refused', async () => {
    const user = await atLookScreen(7002);
    await user.pressButton('✏️ Edit with AI');
    await user.waitFor('Describe the change');
    await user.sendText('   ');
    await user.waitFor('The description is empty');
    world.imageEditor.nextFailure = { reason: 'content_policy', message: 'flagged' };
    await user.sendText('something forbidden');
    await user.waitFor('The edit did not work: the provider refused this request');
    const state = await world.users.state(7002);
    expect(state.draft.character?.editIterations).toBe(0);
    expect(state.draft.character?.pendingEdit).toBeNull();
    expect(await world.eventTypes(7002)).toContain('CharacterEditFailed');

    // A provider outage is told in the user's words; the provider's own text stays in the log.
    world.imageEditor.nextFailure = {
      reason: 'unavailable',
      message: 'fal-nano-banana: circuit open after repeated failures',
    };
    await user.pressButton('✏️ Edit with AI');
    await user.waitFor('Describe the change', { since: 'last-action' });
    await user.sendText('a red scarf');
    const answer = await user.waitFor(
      'The edit did not work: the image service is not reachable right now',
    );
    expect(answer.text).not.toContain('circuit');
  });
});
