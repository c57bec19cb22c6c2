/**
 * Which end of a luma matte Shotstack's Edit API keeps. Our mattes (the Modal service, the local
 * matte maker) are white = the person; this says whether they go to Shotstack as they are or
 * inverted.
 *
 * The sources disagree, and this follows the ones closest to the renderer:
 * - Shotstack staff, shotstack/shotstack-studio-sdk issue #12 (2025-05-07), with Edit API exports
 *   as the reference: "White areas in luma masks create transparency … black areas remain opaque".
 * - The shipped Studio SDK, whose stated aim is to match the Edit API's output, therefore inverts
 *   every luma (`ColorMatrixFilter.negative`) before using it as a mask
 *   (`src/core/luma-mask-controller.ts`).
 * - Against them: the OpenAPI `LumaAsset` text ("the black areas are transparent and the white
 *   areas solid", specs/shotstack) and the opening of the docs page on luma mattes, whose own
 *   example then says the white areas reveal the video underneath.
 *
 * Only the matte overlay mode depends on it (green-screen is the default). One sandbox render
 * settles it for good: docs/first-real-run.md, "Shotstack".
 */
export type LumaPolarity = 'white-transparent' | 'white-opaque';

export const shotstackLumaPolarity: LumaPolarity = 'white-transparent';

/** True when a white = visible matte must be inverted before Shotstack sees it. */
export function invertMatteFor(polarity: LumaPolarity): boolean {
  return polarity === 'white-transparent';
}
