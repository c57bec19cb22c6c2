export { LocalMatteMaker, localMatteProvider, type LocalMatteMakerOptions } from './local-matte-maker.js';
export { shapeBox, type ShapeBox } from './overlay-shape-geometry.js';
