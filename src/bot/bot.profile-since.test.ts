import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserCommands } from '../commands/user-commands.js';
import { BotWorld } from '../testing/bot/bot-world.js';

let world: BotWorld;

beforeAll(async () => {
  world = await BotWorld.open();
});

afterAll(async () => {
  await world?.close();
});

describe('profile', () => {
  it("'member since' is the day the user registered, not the day the store recorded the event (a copied log is recorded anew)", async () => {
    const telegramId = 4101;
    // Registered long ago, recorded by this store today: what a log moved with events:copy looks
    // like.
    const registeredLongAgo = new UserCommands({
      store: world.store,
      now: () => new Date('2025-03-14T10:00:00Z'),
    });
    const registered = await registeredLongAgo.execute(
      telegramId,
      {
        type: 'RegisterUser',
        telegramId,
        username: 'ida',
        firstName: 'Ida',
        language: 'en',
        welcomeCredits: 3,
        grantId: `welcome-${telegramId}`,
      },
      { commandId: randomUUID(), actor: { kind: 'user', id: String(telegramId) } },
    );
    expect(registered.ok).toBe(true);
    const user = world.user({ id: telegramId, firstName: 'Ida', languageCode: 'en' });
    await user.sendCommand('/profile');
    const profile = await user.waitFor('Your profile');
    expect(profile.text).toMatch(/Member since: 2025-03-14/);
  });
});
