export { httpCall, type HttpCallOptions, type HttpCallResult } from './http-call.js';
export { isProviderError, kindOfStatus, parseRetryAfter, ProviderError, type ProviderErrorKind } from './provider-error.js';
export { createProviderPolicy, type ProviderPolicy, type ProviderPolicyOptions } from './provider-policy.js';
