/** One file part of a multipart/form-data request, fully buffered. */
export interface UploadedFile {
  /** The form field it arrived under: an `attach://` id for grammY, the parameter name for curl. */
  readonly fieldName: string;
  readonly fileName: string;
  readonly contentType: string;
  readonly bytes: Buffer;
}
