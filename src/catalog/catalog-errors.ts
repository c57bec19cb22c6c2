import { AppError } from '../errors/app-error.js';

/**
 * Base for catalog failures: an operator's files or a build step, so retrying as is cannot help.
 */
export abstract class CatalogError extends AppError {
  readonly retryable: boolean = false;
}

/** `catalog.json` is missing pieces, fails its schema, or names files that are not there. */
export class InvalidCatalogManifestError extends CatalogError {
  override readonly name = 'InvalidCatalogManifestError';
  readonly code = 'INVALID_CATALOG_MANIFEST';
  constructor(
    readonly path: string,
    readonly problems: readonly string[],
    options?: ErrorOptions,
  ) {
    super(
      `${path} is not a valid catalog manifest:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      options,
    );
  }
}

/**
 * Generating a piece of the starter catalog failed; `item` names it (a character, voice or
 * example).
 */
export class CatalogBuildError extends CatalogError {
  override readonly name = 'CatalogBuildError';
  readonly code = 'CATALOG_BUILD_FAILED';
  constructor(
    readonly item: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`Building the catalog failed at ${item}: ${message}`, options);
  }
}

/**
 * An operator's import folder is laid out wrongly or holds unusable files; every problem is listed.
 */
export class CatalogImportError extends CatalogError {
  override readonly name = 'CatalogImportError';
  readonly code = 'CATALOG_IMPORT_FAILED';
  constructor(
    readonly folder: string,
    readonly problems: readonly string[],
    /** How the folder should look, printed after the problems. */
    readonly hint?: string,
    options?: ErrorOptions,
  ) {
    super(
      `Cannot import ${folder}:\n${problems.map((p) => `  - ${p}`).join('\n')}${hint ? `\n${hint}` : ''}`,
      options,
    );
  }
}
