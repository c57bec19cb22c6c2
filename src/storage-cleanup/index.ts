export { cleanupTemporaryFiles, type CleanupReport, type CleanupTemporaryFilesOptions } from './cleanup-temporary-files.js';
export { selectExpiredTemporaryFiles, temporaryPrefix, type ExpirySelection, type ListedObject } from './select-expired-temporary-files.js';
