import type { Decider } from '../decider.js';
import type { UserEvent } from '../events/user-events.js';
import type { UserCommand } from './commands.js';
import { decideUser } from './decide.js';
import { evolveUser } from './evolve.js';
import type { UserRejection } from './rejections.js';
import { initialUserState, type UserState } from './state.js';

/** The `user-{telegramId}` aggregate: account, credits and the video wizard's draft. */
export const userDecider: Decider<UserCommand, UserEvent, UserState, UserRejection> = {
  initialState: initialUserState,
  decide: decideUser,
  evolve: evolveUser,
};
