import type { SimulatedUser } from '../telegram-emulator/index.js';

export interface Purchase {
  readonly chargeId: string;
  readonly stars: number;
}

/**
 * The scripted user buys a credit pack with Telegram Stars the way a person does: Credits, the
 * pack's button, Pay on the invoice; resolves once the bot confirms the credits.
 */
export async function buyCredits(user: SimulatedUser, pack: string | RegExp): Promise<Purchase> {
  await user.sendCommand('/credits');
  await user.waitFor('Buy credits with Telegram Stars', { timeoutMs: 20_000 });
  await user.pressButton(pack);
  const invoice = await user.waitFor((message) => message.invoice !== undefined, {
    timeoutMs: 20_000,
  });
  const outcome = await user.payInvoice(invoice);
  if (outcome.status !== 'paid')
    throw new Error(
      `the purchase ended ${outcome.status}${outcome.status === 'declined' ? `: ${outcome.errorMessage}` : ''}`,
    );
  await user.waitFor('Payment received', { timeoutMs: 20_000 });
  return { chargeId: outcome.chargeId, stars: invoice.invoice?.total_amount ?? 0 };
}
