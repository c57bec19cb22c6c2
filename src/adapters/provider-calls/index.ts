export { httpCall, type HttpCallOptions, type HttpCallResult } from './http-call.js';
export {
  isProviderError,
  kindOfStatus,
  parseRetryAfter,
  ProviderError,
  type ProviderErrorKind,
} from '../../ports/provider-error.js';
export {
  createProviderPolicy,
  type ProviderPolicy,
  type ProviderPolicyOptions,
} from './provider-policy.js';
