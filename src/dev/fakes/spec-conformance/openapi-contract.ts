import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/**
 * One mismatch between a message and the provider's definition, with where it sits in the message.
 */
export interface SpecViolation {
  readonly where: string;
  readonly message: string;
}

interface Operation {
  readonly template: string;
  readonly pattern: RegExp;
  readonly method: string;
  readonly spec: JsonObject;
  readonly parameters: JsonObject[];
}

/**
 * A vendored OpenAPI document (3.0 or 3.1) as a validator of the messages our clients send and our
 * fakes answer. Every object schema that names its properties is treated as closed: a field the
 * provider does not define is a violation even where the document leaves the object open, because
 * a field we invent (or a fake invents) is exactly what this check is for.
 */
export class OpenApiContract {
  private readonly ajv: Ajv;
  private readonly operations: Operation[];
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(
    readonly document: JsonObject,
    private readonly id: string,
  ) {
    const version = String(document.openapi ?? '');
    const options = { strict: false, allErrors: true, validateFormats: false } as const;
    this.ajv = version.startsWith('3.1') ? new Ajv2020(options) : new Ajv(options);
    const prepared = closeObjects(stripOpenApi30(structuredClone(document), version)) as JsonObject;
    this.ajv.addSchema(prepared, id);
    this.operations = [];
    for (const [template, item] of Object.entries(
      (document.paths ?? {}) as Record<string, JsonObject>,
    )) {
      const shared = (item.parameters ?? []) as JsonObject[];
      for (const [method, spec] of Object.entries(item)) {
        if (method === 'parameters') continue;
        const own = ((spec as JsonObject).parameters ?? []) as JsonObject[];
        const pattern = new RegExp(
          `^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}|\{[^}]+\}/g, '([^/]+)')}$`,
        );
        this.operations.push({
          template,
          pattern,
          method,
          spec: spec as JsonObject,
          parameters: [...shared, ...own],
        });
      }
    }
  }

  static load(path: URL | string, id = String(path)): OpenApiContract {
    return new OpenApiContract(JSON.parse(readFileSync(path, 'utf8')) as JsonObject, id);
  }

  /**
   * The operation a request path (without the server prefix) and method address; throws when none
   * does.
   */
  operation(method: string, path: string): Operation {
    const found = this.operations.find(
      (op) => op.method === method.toLowerCase() && op.pattern.test(path),
    );
    if (!found) throw new Error(`the definition has no operation ${method.toUpperCase()} ${path}`);
    return found;
  }

  /**
   * The request line and body: the path parameters, every query parameter (declared, valid), the
   * JSON body.
   */
  checkRequest(method: string, pathAndQuery: string, body?: unknown): SpecViolation[] {
    const url = new URL(pathAndQuery, 'http://spec.invalid');
    const op = this.operation(method, url.pathname);
    const violations: SpecViolation[] = [];
    const pathValues = op.pattern.exec(url.pathname)!.slice(1).map(decodeURIComponent);
    const pathNames = [...op.template.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!);
    pathNames.forEach((name, i) =>
      violations.push(...this.checkParameter(op, 'path', name, pathValues[i]!)),
    );
    for (const [name, value] of url.searchParams)
      violations.push(...this.checkParameter(op, 'query', name, value));
    for (const parameter of op.parameters) {
      if (
        parameter.in === 'query' &&
        parameter.required === true &&
        !url.searchParams.has(String(parameter.name))
      ) {
        violations.push({
          where: `query.${String(parameter.name)}`,
          message: 'required by the definition, not sent',
        });
      }
    }
    const requestBody = op.spec.requestBody as JsonObject | undefined;
    if (body !== undefined) {
      if (!requestBody) violations.push({ where: 'body', message: 'the operation takes no body' });
      else
        violations.push(
          ...this.validate(
            `${this.pointer(op)}/requestBody/content/application~1json/schema`,
            body,
            'body',
          ),
        );
    } else if (requestBody?.required === true) {
      violations.push({ where: 'body', message: 'required by the definition, not sent' });
    }
    return violations;
  }

  /**
   * A JSON answer: its status must be one the operation defines (or `default`), its body that
   * status's schema.
   */
  checkResponse(method: string, path: string, status: number, body: unknown): SpecViolation[] {
    const op = this.operation(method, new URL(path, 'http://spec.invalid').pathname);
    const responses = op.spec.responses as JsonObject;
    const key =
      String(status) in responses ? String(status) : 'default' in responses ? 'default' : undefined;
    if (!key)
      return [
        {
          where: `status ${status}`,
          message: `not a status ${method.toUpperCase()} ${op.template} defines (${Object.keys(responses).join(', ')})`,
        },
      ];
    const content = (responses[key] as JsonObject).content as JsonObject | undefined;
    if (!content?.['application/json'])
      return [
        { where: `status ${status}`, message: 'the definition gives this answer no JSON body' },
      ];
    return this.validate(
      `${this.pointer(op)}/responses/${key}/content/application~1json/schema`,
      body,
      'body',
    );
  }

  /**
   * Whether the operation defines this answer status at all (error bodies the document leaves out
   * are not checked).
   */
  definesStatus(method: string, path: string, status: number): boolean {
    const responses = this.operation(method, new URL(path, 'http://spec.invalid').pathname).spec
      .responses as JsonObject;
    return String(status) in responses;
  }

  /** Any value against a named component schema. */
  checkComponent(name: string, value: unknown): SpecViolation[] {
    return this.validate(`#/components/schemas/${escapePointer(name)}`, value, name);
  }

  /** A component schema as the document gives it (for reading an enum, a `deprecated` flag). */
  component(name: string): JsonObject {
    const schema = (
      (this.document.components as JsonObject | undefined)?.schemas as JsonObject | undefined
    )?.[name];
    if (!schema) throw new Error(`the definition has no component schema ${name}`);
    return schema as JsonObject;
  }

  /** The values of an enum property of a component schema. */
  enumOf(component: string, property: string): readonly (string | number)[] {
    const schema = (this.component(component).properties as JsonObject | undefined)?.[property] as
      JsonObject | undefined;
    if (!Array.isArray(schema?.enum)) throw new Error(`${component}.${property} is not an enum`);
    return schema.enum as (string | number)[];
  }

  private checkParameter(
    op: Operation,
    place: 'path' | 'query',
    name: string,
    raw: string,
  ): SpecViolation[] {
    const index = op.parameters.findIndex(
      (parameter) => parameter.in === place && parameter.name === name,
    );
    if (index < 0)
      return [
        {
          where: `${place}.${name}`,
          message: `a ${place} parameter the definition does not declare`,
        },
      ];
    const schema = op.parameters[index]!.schema as JsonObject | undefined;
    const value = coerce(raw, schema);
    const shared = ((this.document.paths as JsonObject)[op.template] as JsonObject).parameters as
      JsonObject[] | undefined;
    const sharedIndex = shared?.indexOf(op.parameters[index]!) ?? -1;
    const pointer =
      sharedIndex >= 0
        ? `#/paths/${escapePointer(op.template)}/parameters/${sharedIndex}/schema`
        : `${this.pointer(op)}/parameters/${index - (shared?.length ?? 0)}/schema`;
    return this.validate(pointer, value, `${place}.${name}`);
  }

  private pointer(op: Operation): string {
    return `#/paths/${escapePointer(op.template)}/${op.method}`;
  }

  private validate(pointer: string, value: unknown, where: string): SpecViolation[] {
    let validate = this.compiled.get(pointer);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `${this.id}${pointer}` });
      this.compiled.set(pointer, validate);
    }
    if (validate(value)) return [];
    return summarize(validate.errors ?? [], where);
  }
}

/**
 * A failed `oneOf` reports every branch; the branch whose `type` matched says what is really wrong.
 */
function summarize(errors: readonly ErrorObject[], where: string): SpecViolation[] {
  const seen = new Set<string>();
  const out: SpecViolation[] = [];
  const specific = errors.filter(
    (error) => error.keyword !== 'oneOf' && error.keyword !== 'anyOf' && error.keyword !== 'if',
  );
  for (const error of specific.length > 0 ? specific : errors) {
    const detail =
      error.keyword === 'additionalProperties'
        ? `has "${String((error.params as { additionalProperty: string }).additionalProperty)}", which the definition does not define`
        : error.keyword === 'enum'
          ? `${error.message}: ${JSON.stringify((error.params as { allowedValues: unknown }).allowedValues)}`
          : (error.message ?? error.keyword);
    const line = `${where}${error.instancePath} ${detail}`;
    if (seen.has(line)) continue;
    seen.add(line);
    out.push({ where: `${where}${error.instancePath}`, message: detail });
  }
  return out;
}

function coerce(raw: string, schema: JsonObject | undefined): unknown {
  const types = [
    schema?.type,
    ...((schema?.anyOf as JsonObject[] | undefined) ?? []).map((branch) => branch.type),
  ].flat();
  if (types.includes('boolean') && (raw === 'true' || raw === 'false')) return raw === 'true';
  if (
    (types.includes('integer') || types.includes('number')) &&
    raw.trim() !== '' &&
    Number.isFinite(Number(raw))
  )
    return Number(raw);
  return raw;
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * OpenAPI 3.0's `discriminator` mapping is documentation for code generators; `oneOf` already
 * decides.
 */
function stripOpenApi30(node: Json, version: string): Json {
  if (Array.isArray(node)) return node.map((item) => stripOpenApi30(item, version));
  if (!node || typeof node !== 'object') return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (
      key === 'discriminator' ||
      key === 'example' ||
      (key === 'examples' && !version.startsWith('3.1'))
    )
      continue;
    out[key] = stripOpenApi30(value, version);
  }
  return out;
}

/**
 * Objects that name their properties get `additionalProperties: false` unless they say otherwise.
 * A `oneOf`/`anyOf` wrapper that names none (Shotstack's `Asset`) loses its `additionalProperties:
 * false`: read literally it would forbid every field, while code generators (the reading the
 * provider means) leave the closing to the branches, which are closed here anyway.
 */
function closeObjects(node: Json): Json {
  if (Array.isArray(node)) return node.map(closeObjects);
  if (!node || typeof node !== 'object') return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node))
    out[key] =
      key === 'properties' || key === 'paths'
        ? mapValues(value, closeObjects)
        : closeObjects(value);
  if (
    ('oneOf' in node || 'anyOf' in node) &&
    !('properties' in node) &&
    node.additionalProperties === false
  )
    delete out.additionalProperties;
  const isSchema =
    typeof node.properties === 'object' &&
    node.properties !== null &&
    !Array.isArray(node.properties) &&
    !('paths' in node);
  if (
    isSchema &&
    !('additionalProperties' in node) &&
    !('allOf' in node) &&
    !('patternProperties' in node)
  )
    out.additionalProperties = false;
  return out;
}

function mapValues(value: Json, map: (item: Json) => Json): Json {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return map(value);
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, map(item)]));
}
