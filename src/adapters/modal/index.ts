export { createModalOverlay, type CreateModalOverlayOptions } from './create-modal-overlay.js';
export {
  ModalOverlayClient,
  modalOverlayProvider,
  type ModalOverlayClientOptions,
} from './modal-overlay-client.js';
export {
  overlayServiceUnavailable,
  startLocalOverlayServer,
  type LocalOverlayServer,
} from './local-overlay-server.js';
