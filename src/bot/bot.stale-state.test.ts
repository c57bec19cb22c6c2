import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { UserCommands } from '../commands/user-commands.js';
import { BotWorld } from '../testing/bot/bot-world.js';

// The bot starts an update from its own copy of the user's stream; another process (a second
// instance, the pipeline elsewhere) may have written since. Nothing shown or recorded may come
// from that stale copy.

let world: BotWorld;

beforeAll(async () => {
  world = await BotWorld.open();
});

afterAll(async () => {
  await world?.close();
});

const admin = { kind: 'admin' as const, id: '1' };

describe('state written by another process', () => {
  it('a screen that only reads shows the stream as it is now, not the copy from the last update', async () => {
    const user = world.user({ id: 6101, firstName: 'Sia', languageCode: 'en' });
    await user.sendCommand('/start');
    await user.waitFor('What would you like to do?');

    const elsewhere = new UserCommands({ store: world.store });
    const granted = await elsewhere.execute(
      6101,
      { type: 'GrantCredits', amount: 5, reason: 'promo', grantId: 'stale-1' },
      { commandId: 'stale-1', actor: admin },
    );
    expect(granted.ok && granted.state.balance).toBe(15);

    await user.pressButton('👤 Profile');
    const profile = await user.waitFor('Your profile');
    expect(profile.text).toContain('Balance: 15');
  });

  it('a press in step on the stale copy but out of step on the current state records nothing and says so', async () => {
    const user = world.user({ id: 6102, firstName: 'Teo', languageCode: 'en' });
    await user.sendCommand('/create_ads');
    await user.waitFor('Step 1 · Format');
    await user.pressButton('🗣 Talking head');
    await user.waitFor('Who should speak');

    // Elsewhere the draft moves on to the background format: the gender screen's buttons are now
    // out of step, which only the current state tells.
    const elsewhere = new UserCommands({ store: world.store });
    const selected = await elsewhere.execute(
      6102,
      { type: 'SelectFormat', format: 'background' },
      { commandId: 'stale-2', actor: { kind: 'user', id: '6102' } },
    );
    expect(selected.ok).toBe(true);
    const before = await world.eventTypes(6102);

    await user.pressButton('👩 Woman');
    // The current state (background format, no clip yet) makes the press out of step: nothing
    // recorded.
    const answer = await user.waitFor('First send the background clip');
    expect(answer.text).toContain('nothing in your draft has changed');
    expect(await world.eventTypes(6102)).toEqual(before);
    expect((await world.users.state(6102)).draft).toMatchObject({
      format: 'background',
      gender: null,
    });
    expect(world.logLines.filter((line) => line.includes('update handling failed'))).toEqual([]);
  });

  it('a press whose state proved stale is answered once, on the state read afresh, and its step still taken', async () => {
    const user = world.user({ id: 6103, firstName: 'Uma', languageCode: 'en' });
    await user.sendCommand('/create_ads');
    await user.waitFor('Step 1 · Format');

    const elsewhere = new UserCommands({ store: world.store });
    await elsewhere.execute(
      6103,
      { type: 'GrantCredits', amount: 5, reason: 'promo', grantId: 'stale-3' },
      { commandId: 'stale-3', actor: admin },
    );
    const answersBefore = world.emulator.calls('answerCallbackQuery').length;

    // The format handler chooses a silent answer first (no read of the stream for that), then its
    // command finds the stream moved on, and the update starts over from the stream. The answer
    // goes out once, when the update is done.
    await user.pressButton('🗣 Talking head');
    await user.waitFor('Who should speak');
    const answers = () => world.emulator.calls('answerCallbackQuery').slice(answersBefore);
    await vi.waitFor(() => expect(answers()).toHaveLength(1));
    expect(answers().map((call) => call.ok)).toEqual([true]);
    expect((await world.users.state(6103)).draft.format).toBe('talking_head');
  });
});
