/**
 * Cuts a provider's OpenAPI document down to the operations our clients call and every component
 * they reach through `$ref`, so the vendored copy stays small enough to read in a review while
 * each schema in it is the provider's text, untouched.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface TrimSelection {
  /** Path template → the HTTP methods (lower case) to keep. */
  readonly operations: Readonly<Record<string, readonly string[]>>;
}

export function trimOpenApi(
  document: Record<string, Json>,
  selection: TrimSelection,
): Record<string, Json> {
  const paths = (document.paths ?? {}) as Record<string, Record<string, Json>>;
  const keptPaths: Record<string, Json> = {};
  for (const [path, methods] of Object.entries(selection.operations)) {
    const item = paths[path];
    if (!item) throw new Error(`the document has no path ${path}`);
    const kept: Record<string, Json> = {};
    if (item.parameters) kept.parameters = item.parameters;
    for (const method of methods) {
      if (!item[method]) throw new Error(`the document has no ${method.toUpperCase()} ${path}`);
      kept[method] = item[method]!;
    }
    keptPaths[path] = kept;
  }

  const components = (document.components ?? {}) as Record<string, Record<string, Json>>;
  const keptComponents: Record<string, Record<string, Json>> = {};
  const pending: Json[] = [keptPaths];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (Array.isArray(node)) {
      pending.push(...node);
    } else if (node && typeof node === 'object') {
      const ref = node.$ref;
      if (typeof ref === 'string') {
        const match = /^#\/components\/([^/]+)\/(.+)$/.exec(ref);
        if (!match) throw new Error(`unsupported $ref ${ref}`);
        const [, section, name] = match as unknown as [string, string, string];
        const target = components[section]?.[name];
        if (target === undefined) throw new Error(`dangling $ref ${ref}`);
        keptComponents[section] ??= {};
        if (!(name in keptComponents[section])) {
          keptComponents[section][name] = target;
          pending.push(target);
        }
      }
      for (const [key, value] of Object.entries(node)) if (key !== '$ref') pending.push(value);
    }
  }

  const sorted: Record<string, Json> = {};
  for (const section of Object.keys(keptComponents).sort()) {
    sorted[section] = Object.fromEntries(
      Object.entries(keptComponents[section]!).sort(([a], [b]) => a.localeCompare(b)),
    );
  }
  const { paths: _paths, components: _components, ...rest } = document;
  return { ...rest, paths: keptPaths, components: sorted };
}
