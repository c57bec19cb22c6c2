/**
 * The part of Shotstack's Edit (the OAS `schemas/*.yaml`, vendored under specs/) this client sends.
 * Track 0 is the top layer.
 */
export interface ShotstackEdit {
  readonly timeline: { readonly background?: string; readonly tracks: readonly ShotstackTrack[] };
  readonly output: {
    readonly format: 'mp4';
    readonly size: { readonly width: number; readonly height: number };
    readonly fps: number;
  };
}

export interface ShotstackTrack {
  readonly clips: readonly ShotstackClip[];
}

export type ShotstackPosition =
  | 'top'
  | 'topRight'
  | 'right'
  | 'bottomRight'
  | 'bottom'
  | 'bottomLeft'
  | 'left'
  | 'topLeft'
  | 'center';

export interface ShotstackClip {
  readonly asset: ShotstackAsset;
  readonly start: number;
  readonly length: number;
  readonly fit?: 'crop' | 'cover' | 'contain' | 'none';
  readonly scale?: number;
  readonly position?: ShotstackPosition;
  readonly offset?: { readonly x: number; readonly y: number };
}

export type ShotstackAsset =
  | {
      readonly type: 'video';
      readonly src: string;
      readonly volume?: number;
      readonly chromaKey?: {
        readonly color: string;
        readonly threshold?: number;
        readonly halo?: number;
      };
    }
  | { readonly type: 'audio'; readonly src: string; readonly volume?: number }
  | { readonly type: 'luma'; readonly src: string }
  | {
      readonly type: 'caption';
      readonly src: string;
      readonly font?: {
        readonly family?: string;
        readonly color?: string;
        readonly size?: number;
        readonly lineHeight?: number;
        readonly stroke?: string;
        readonly strokeWidth?: number;
      };
      readonly background?: {
        readonly color?: string;
        readonly opacity?: number;
        readonly padding?: number;
        readonly borderRadius?: number;
      };
      readonly margin?: { readonly top?: number; readonly left?: number; readonly right?: number };
    };
