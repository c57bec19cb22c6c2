import type { File } from 'grammy/types';
import { badRequest } from '../bot-api-error.js';
import type { MethodCall, MethodTable } from './method-registry.js';

function getFile({ params, state }: MethodCall): File {
  const file = state.files.get(params.string('file_id', 'file_id is empty'));
  if (file === undefined) throw badRequest('invalid file_id');
  // Bots may not download more than 20 MB from the cloud API, however the file got there.
  if (file.size > state.limits.getFileBytes) throw badRequest('file is too big');
  return {
    file_id: file.fileId,
    file_unique_id: file.fileUniqueId,
    file_size: file.size,
    file_path: file.filePath,
  };
}

export const fileMethods: MethodTable = { getFile };
