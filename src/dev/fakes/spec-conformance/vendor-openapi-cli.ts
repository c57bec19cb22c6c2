import { readFile, writeFile } from 'node:fs/promises';
import { trimOpenApi } from './trim-openapi.js';

/**
 * `tsx src/dev/fakes/spec-conformance/vendor-openapi-cli.ts <in.json> <out.json> "post /v1/x" "get
 * /v1/y" …`
 * writes the provider's document trimmed to those operations (how specs/ was made;
 * specs/README.md).
 */
const [input, output, ...operations] = process.argv.slice(2);
if (!input || !output || operations.length === 0) {
  console.error('usage: vendor-openapi-cli <in.json> <out.json> "<method> <path>"…');
  process.exit(2);
}
const selection: Record<string, string[]> = {};
for (const operation of operations) {
  const [method, path] = operation.split(/\s+/, 2);
  if (!method || !path) throw new Error(`not "<method> <path>": ${operation}`);
  (selection[path] ??= []).push(method.toLowerCase());
}
const document = JSON.parse(await readFile(input, 'utf8')) as Record<string, never>;
await writeFile(
  output,
  `${JSON.stringify(trimOpenApi(document, { operations: selection }), null, 2)}\n`,
);
