import { callbackMethods } from './callback-methods.js';
import { editMethods } from './edit-methods.js';
import { fileMethods } from './file-methods.js';
import { mediaMethods } from './media-methods.js';
import { messageMethods } from './message-methods.js';
import { MethodRegistry } from './method-registry.js';
import { paymentMethods } from './payment-methods.js';
import { settingsMethods } from './settings-methods.js';
import { updateMethods } from './update-methods.js';

/** Every Bot API method the emulator answers; anything else is 404 "Not Found", as on Telegram. */
export function botApiMethods(): MethodRegistry {
  return new MethodRegistry(
    updateMethods,
    messageMethods,
    mediaMethods,
    editMethods,
    callbackMethods,
    fileMethods,
    settingsMethods,
    paymentMethods,
  );
}
