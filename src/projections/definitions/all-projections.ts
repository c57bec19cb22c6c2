import type { Projection } from '../projection.js';
import { creditsProjection } from './credits-projection.js';
import { dailyStatsProjection } from './daily-stats-projection.js';
import { generationsProjection } from './generations-projection.js';
import { starsPaymentsProjection } from './stars-payments-projection.js';
import { usersProjection } from './users-projection.js';

export const allProjections: readonly Projection[] = [
  usersProjection,
  creditsProjection,
  generationsProjection,
  dailyStatsProjection,
  starsPaymentsProjection,
];
