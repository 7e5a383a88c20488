import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

// Dependencies point inward (DESIGN.md, Layout): domain imports only domain; app only domain and
// ports (and contract); ports only domain; contract only domain. Everything else wires them.

const SRC = resolve('src');
const RULES: Record<string, { layers: string[]; packages: string[] }> = {
  // currency-codes is the ISO 4217 list as data: no I/O, so the domain may read it.
  domain: { layers: ['domain'], packages: ['currency-codes'] },
  ports: { layers: ['domain', 'ports'], packages: [] },
  app: { layers: ['domain', 'ports', 'contract', 'app'], packages: [] },
  // The public shapes. json-schema-to-ts is a type-only import (its FromSchema). The stored
  // entities' types still come from ports/storage.ts until they move to domain/.
  contract: { layers: ['domain', 'ports', 'contract'], packages: ['json-schema-to-ts'] },
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [
    ...text.matchAll(/^\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/gm),
    ...text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1]!);
}

test('inner layers import only what is further in', () => {
  const problems: string[] = [];
  for (const [layer, rule] of Object.entries(RULES)) {
    for (const file of files(join(SRC, layer))) {
      for (const spec of imports(file)) {
        if (spec.startsWith('.')) {
          const target = relative(SRC, resolve(dirname(file), spec)).split(/[\\/]/)[0]!;
          if (!rule.layers.includes(target)) problems.push(`${relative(SRC, file)} imports ${spec} (${target})`);
        } else if (!rule.packages.includes(spec)) {
          problems.push(`${relative(SRC, file)} imports the package ${spec}`);
        }
      }
    }
  }
  assert.deepEqual(problems, []);
});

test('the rule checker sees imports', () => {
  assert.ok(imports(join(SRC, 'app', 'start-payment.ts')).some((s) => s.includes('domain/')));
});
