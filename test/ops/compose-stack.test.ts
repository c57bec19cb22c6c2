import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envSchema } from '../../src/config/env-schema.js';
import {
  environmentOf,
  imageTag,
  interpolatedVariables,
  readComposeStack,
  readmeSection,
  repoRoot,
  servicesNamedInCommands,
} from './compose-stack.js';

/**
 * Checks the operator's stack against the service it runs, without Docker: every variable the
 * compose file hands the service is one the service reads, every image is pinned, webhook mode
 * is enforced, and what the README and the comments tell operators to run names real services.
 */

/** Variables the stack itself needs that the service does not read (they configure Garage). */
const stackOnlyVariables = ['GARAGE_RPC_SECRET'];

const schemaVariables = new Set(Object.keys(envSchema.shape));
const stack = readComposeStack();
const services = stack.file.services;
/** Services built from this repository's Dockerfile: instances of the bot. */
const botServices = Object.entries(services).filter(([, service]) => service.build !== undefined);
const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const production = readmeSection(readme, 'Run in production');

describe('docker-compose.yml against the service', () => {
  it('runs at least two bot instances built from this repository', () => {
    expect(botServices.length).toBeGreaterThanOrEqual(2);
  });

  it('sets only variables the service reads on the bot instances', () => {
    for (const [name, service] of botServices) {
      const unknown = Object.keys(environmentOf(service)).filter(
        (variable) => !schemaVariables.has(variable),
      );
      expect(unknown, `${name} sets variables src/config/env-schema.ts does not know`).toEqual([]);
    }
  });

  it('interpolates only service variables and the few the stack itself needs, which .env.example lists', () => {
    const unknown = [...interpolatedVariables(stack.text)].filter(
      (variable) => !schemaVariables.has(variable) && !stackOnlyVariables.includes(variable),
    );
    expect(unknown).toEqual([]);
    const example = readFileSync(join(repoRoot, '.env.example'), 'utf8');
    for (const variable of stackOnlyVariables)
      expect(example, `.env.example lists ${variable}`).toMatch(new RegExp(`^${variable}=`, 'm'));
  });

  it('requires WEBHOOK_URL (and its secret token) on every instance: two instances cannot long-poll one token', () => {
    for (const [name, service] of botServices) {
      const environment = environmentOf(service);
      expect(environment.WEBHOOK_URL, name).toMatch(/^\$\{WEBHOOK_URL:\?[^}]+\}$/);
      expect(environment.WEBHOOK_SECRET_TOKEN, name).toMatch(
        /^\$\{WEBHOOK_SECRET_TOKEN:\?[^}]+\}$/,
      );
    }
  });

  it('signs download links for a public store address, not the internal one', () => {
    for (const [name, service] of botServices) {
      const environment = environmentOf(service);
      expect(environment.R2_PUBLIC_ENDPOINT_URL, name).toMatch(
        /^\$\{R2_PUBLIC_ENDPOINT_URL:\?[^}]+\}$/,
      );
      expect(environment.R2_ENDPOINT_URL, name).toBeDefined();
    }
  });

  it('pins every image to a version (no latest, no missing tag)', () => {
    for (const [name, service] of Object.entries(services)) {
      if (service.build !== undefined) continue;
      expect(service.image, `${name} has neither an image nor a build`).toBeDefined();
      const tag = imageTag(service.image!);
      expect(tag, `${name}: ${service.image} has no tag`).toBeDefined();
      expect(tag, `${name}: ${service.image}`).not.toMatch(/latest|edge|nightly|main|dev/i);
      expect(tag, `${name}: ${service.image} names no version`).toMatch(
        /^v?\d+(\.\d+)*([-.][a-z0-9.]+)?$/i,
      );
    }
  });

  it('uses no image that is gone or superseded (MinIO, the pre-Kurrent EventStoreDB)', () => {
    for (const [name, service] of Object.entries(services)) {
      expect(service.image ?? '', name).not.toMatch(/^(minio\/|eventstore\/eventstore)/);
    }
  });

  it('names only existing services in its comments (e.g. --scale)', () => {
    const unknown = servicesNamedInCommands(stack.comments).filter((name) => !(name in services));
    expect(unknown).toEqual([]);
  });
});

describe('the README production section against docker-compose.yml', () => {
  it('exists', () => {
    expect(production).toContain('docker compose');
  });

  it('lists every service with the image the compose file uses, and only those', () => {
    const rows = [...production.matchAll(/^\|\s*`([a-z0-9-]+)`\s*\|\s*`?([^|`]*?)`?\s*\|/gm)].map(
      (match) => ({ service: match[1]!, image: match[2]!.trim() }),
    );
    expect(rows.map((row) => row.service).sort()).toEqual(Object.keys(services).sort());
    for (const row of rows) {
      const service = services[row.service]!;
      expect(row.image, row.service).toBe(service.image ?? 'built from the Dockerfile');
    }
  });

  it('names only existing services in the commands it gives', () => {
    const named = servicesNamedInCommands(production);
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((name) => !(name in services))).toEqual([]);
  });

  it('runs operator CLIs that the build compiles (dist/<x>.js from src/<x>.ts)', () => {
    const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
    const entries = new Set(
      [...`${production}\n${dockerfile}`.matchAll(/node dist\/([\w/.-]+)\.js/g)].map(
        (match) => match[1]!,
      ),
    );
    expect(entries.size).toBeGreaterThan(1);
    for (const entry of entries)
      expect(existsSync(join(repoRoot, 'src', `${entry}.ts`)), `src/${entry}.ts`).toBe(true);
  });
});

describe('Node 24 everywhere', () => {
  it('the Dockerfile builds and runs on Node 24', () => {
    const bases = [
      ...readFileSync(join(repoRoot, 'Dockerfile'), 'utf8').matchAll(/^FROM\s+(\S+)/gm),
    ].map((match) => match[1]!);
    expect(bases.length).toBeGreaterThan(0);
    for (const base of bases) expect(base).toMatch(/^node:24[.-]/);
  });

  it('CI installs Node 24, and engines admits it without admitting Node 20', () => {
    expect(readFileSync(join(repoRoot, '.ci/run'), 'utf8')).toMatch(/^node_major=24$/m);
    const engines = (
      JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
        engines: { node: string };
      }
    ).engines.node;
    const floor = /^>=\s*(\d+)\.(\d+)(?:\.(\d+))?$/.exec(engines);
    expect(floor, `engines.node ${engines} is a plain >= floor`).not.toBeNull();
    expect(Number(floor![1])).toBeGreaterThanOrEqual(22);
    expect(Number(floor![1])).toBeLessThanOrEqual(24);
  });
});
