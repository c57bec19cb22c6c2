import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import type { SpecViolation } from './openapi-contract.js';

export interface TypedValue {
  /** A type the vendored declaration file exports, e.g. `OmniHumanv15Input`. */
  readonly type: string;
  readonly value: unknown;
  /** Where the value came from, for the report. */
  readonly label: string;
}

/**
 * A provider's shipped TypeScript declarations (fal's `@fal-ai/client` types) as a validator: each
 * JSON value is written out as an object literal assigned to the declared type and the TypeScript
 * checker decides. Fresh object literals get excess-property checks, so a field the declarations
 * do not define fails, as does a missing required one or a value outside a literal union.
 */
export class TypeScriptContract {
  private readonly declarations: string;

  constructor(declarationFile: URL | string) {
    this.declarations =
      typeof declarationFile === 'string' ? declarationFile : fileURLToPath(declarationFile);
  }

  /**
   * Checks every value in one program (one compiler start-up for the lot); violations per label.
   */
  check(values: readonly TypedValue[]): Map<string, SpecViolation[]> {
    const body = values
      .map(
        (item, i) =>
          `export const value${i}: Spec.${item.type} = ${JSON.stringify(item.value, null, 1) ?? 'undefined'};`,
      )
      .join('\n');
    const diagnostics = this.compile(body);
    const starts = lineStarts(body, values.length);
    const out = new Map<string, SpecViolation[]>(values.map((item) => [item.label, []]));
    for (const diagnostic of diagnostics) {
      const at = diagnostic.start ?? 0;
      const index = starts.findLastIndex((start) => start <= at - headerLength(this.declarations));
      const label = values[Math.max(0, index)]!.label;
      out.get(label)!.push({
        where: label,
        message: ts.flattenDiagnosticMessageText(diagnostic.messageText, ' '),
      });
    }
    return out;
  }

  /** The string literals of a union type, e.g. `QueueStatus["status"]`. */
  literalsOf(typeExpression: string): string[] {
    const { program, file } = this.program(`export type Probe = Spec.${typeExpression};`);
    const checker = program.getTypeChecker();
    const alias = file.statements.find(ts.isTypeAliasDeclaration)!;
    const type = checker.getTypeAtLocation(alias.name);
    const members = type.isUnion() ? type.types : [type];
    return members.map((member) => {
      if (!member.isStringLiteral())
        throw new Error(`${typeExpression} is not a union of string literals`);
      return member.value;
    });
  }

  private compile(body: string): readonly ts.Diagnostic[] {
    const { program, file } = this.program(body);
    return [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)];
  }

  private program(body: string): { program: ts.Program; file: ts.SourceFile } {
    const name = '/__spec_check__.ts';
    const text = header(this.declarations) + body;
    const options: ts.CompilerOptions = {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2022.d.ts'],
      types: [],
      skipLibCheck: true,
    };
    const host = ts.createCompilerHost(options);
    const read = host.getSourceFile.bind(host);
    host.getSourceFile = (fileName, version, onError, create) =>
      fileName === name
        ? ts.createSourceFile(name, text, version, true)
        : read(fileName, version, onError, create);
    const exists = host.fileExists.bind(host);
    host.fileExists = (fileName) => fileName === name || exists(fileName);
    const program = ts.createProgram([name], options, host);
    return { program, file: program.getSourceFile(name)! };
  }
}

// Blob appears in fal's input unions (an upload the SDK performs); JSON never carries one.
const header = (declarations: string) =>
  `import type * as Spec from ${JSON.stringify(declarations)};\ndeclare global { interface Blob { readonly size: number } }\n`;
const headerLength = (declarations: string) => header(declarations).length;

function lineStarts(body: string, count: number): number[] {
  const starts: number[] = [];
  let at = 0;
  for (let i = 0; i < count; i += 1) {
    const found = body.indexOf(`export const value${i}:`, at);
    starts.push(found);
    at = found + 1;
  }
  return starts;
}
