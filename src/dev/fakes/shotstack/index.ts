export { renderEdit, clipBox } from './edit-renderer.js';
export { editSchema, type FakeEdit } from './edit-schema.js';
export {
  startShotstackFake,
  type FakeRender,
  type FakeRequest,
  type ShotstackFake,
  type ShotstackFakeOptions,
  type ShotstackFault,
} from './shotstack-fake.js';
