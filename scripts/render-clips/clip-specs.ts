import type { Backdrop } from './clip-layers.js';

/** How one test clip moves; every amplitude is chosen to stay inside the renderer's canvas. */
export interface RenderClipSpec {
  readonly name: string;
  /** A starter-catalog character id. */
  readonly characterId: string;
  readonly backdrop: Backdrop;
  readonly camera: {
    /**
     * Zoom as an ffmpeg expression of the output frame number `on` (≥ 1.05 keeps rotated corners
     * out).
     */
    readonly zoom: string;
    /** Horizontal and vertical position of the view, 0..1 of the free margin. */
    readonly panX: string;
    readonly panY: string;
    /** Camera roll, radians, an expression of `t`. */
    readonly roll: string;
  };
  readonly head: { readonly tilt: string; readonly shiftX: string; readonly shiftY: string };
  /** Hands entering and leaving: from which side, when (seconds). */
  readonly hands: readonly {
    readonly side: 'left' | 'right';
    readonly from: number;
    readonly to: number;
    readonly height: number;
  }[];
}

export const clipSeconds = 15;

export const renderClipSpecs: readonly RenderClipSpec[] = [
  {
    name: 'daniel-plain-hand',
    characterId: 'm-young-daniel',
    backdrop: { kind: 'plain' },
    camera: {
      zoom: '1.05+0.08*on/450+0.008*sin(2*PI*on/120)',
      panX: '0.5+0.4*sin(2*PI*on/330)',
      panY: '0.4+0.1*sin(2*PI*on/270)',
      roll: '0',
    },
    head: { tilt: '0.12*sin(2*PI*t/4)', shiftX: '25*sin(2*PI*t/6)', shiftY: '0' },
    hands: [{ side: 'right', from: 5, to: 10, height: 0.55 }],
  },
  {
    name: 'elena-textured-turns',
    characterId: 'f-adult-elena',
    backdrop: { kind: 'textured', seed: 7 },
    camera: {
      zoom: '1.06+0.10*on/450',
      panX: '0.5+0.45*sin(2*PI*on/240)',
      panY: '0.5+0.3*sin(2*PI*on/200)',
      roll: '0.012*sin(2*PI*t/5)',
    },
    head: { tilt: '0.1*sin(2*PI*t/5)', shiftX: '40*sin(2*PI*t/3.5)', shiftY: '12*sin(2*PI*t/2.5)' },
    hands: [
      { side: 'left', from: 3, to: 7, height: 0.6 },
      { side: 'right', from: 10, to: 14, height: 0.5 },
    ],
  },
  {
    name: 'kwame-textured-zoom',
    characterId: 'm-young-kwame',
    backdrop: { kind: 'textured', seed: 21 },
    camera: {
      zoom: '1.06+0.14*sin(PI*on/450)',
      panX: '0.5+0.5*sin(2*PI*on/150)',
      panY: '0.3+0.2*sin(2*PI*on/300)',
      roll: '0.01*sin(2*PI*t/7)',
    },
    head: { tilt: '0.14*sin(2*PI*t/6)', shiftX: '30*sin(2*PI*t/4)', shiftY: '0' },
    hands: [{ side: 'left', from: 6, to: 12, height: 0.45 }],
  },
];
