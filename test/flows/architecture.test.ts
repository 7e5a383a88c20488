import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

// The import rules of DESIGN.md's Layout, checked on every source file under src/ (tests are
// free to reach across): dependencies point inward, the shells share through web/ and never
// import each other, adapters and connectors never import app or a shell, and no import cycle.

const SRC = resolve('src');

/** Each folder of src/ (or top-level file, by its name without .ts) and what it may import. */
const RULES: Record<string, { layers: readonly string[]; packages: readonly string[] }> = {
  // currency-codes is the ISO 4217 list as data: no I/O, so the domain may read it.
  domain: { layers: ['domain'], packages: ['currency-codes'] },
  contract: { layers: ['domain', 'contract'], packages: ['json-schema-to-ts'] },
  ports: { layers: ['domain', 'ports'], packages: [] },
  app: { layers: ['domain', 'ports', 'contract', 'app'], packages: [] },
  storage: { layers: ['domain', 'ports', 'storage'], packages: ['kysely', 'pg', 'better-sqlite3'] },
  connectors: { layers: ['domain', 'ports', 'connectors'], packages: ['*'] },
  adapters: { layers: ['domain', 'ports', 'adapters'], packages: ['*'] },
  // The shells may use adapters (a request context, a report file) but never each other.
  web: { layers: ['domain', 'ports', 'contract', 'app', 'adapters', 'web'], packages: ['*'] },
  http: { layers: ['domain', 'ports', 'contract', 'app', 'adapters', 'web', 'http', 'config'], packages: ['*'] },
  admin: { layers: ['domain', 'ports', 'contract', 'app', 'adapters', 'web', 'admin', 'config'], packages: ['*'] },
  demo: { layers: ['domain', 'ports', 'contract', 'app', 'web', 'demo', 'connectors'], packages: ['*'] },
  worker: { layers: ['domain', 'ports', 'app', 'adapters', 'worker', 'config'], packages: ['*'] },
  config: { layers: ['domain', 'ports'], packages: ['*'] },
};
/** The composition root and the command line wire everything. */
const WIRING = new Set(['main', 'cli', 'server']);

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
    ...text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm),
    ...text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1]!);
}

/** The layer a path under src/ belongs to: its first folder, or a top-level file's name. */
function layerOf(path: string): string {
  const parts = relative(SRC, path).split(/[\\/]/);
  return parts.length > 1 ? parts[0]! : parts[0]!.replace(/\.ts$/, '');
}

/** The .ts file an import of `spec` from `file` names (the code imports './x.js'). */
function resolveImport(file: string, spec: string): string {
  const p = resolve(dirname(file), spec);
  const ts = p.replace(/\.js$/, '.ts');
  return existsSync(ts) ? ts : p;
}

const packageName = (spec: string) =>
  spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;

test('every layer imports only what DESIGN.md allows it', () => {
  const problems: string[] = [];
  for (const file of files(SRC)) {
    const layer = layerOf(file);
    if (WIRING.has(layer)) continue;
    const rule = RULES[layer];
    if (!rule) {
      problems.push(`${relative(SRC, file)} is in ${layer}, which has no rule here: add one`);
      continue;
    }
    for (const spec of imports(file)) {
      if (spec.startsWith('.')) {
        const target = layerOf(resolveImport(file, spec));
        if (!rule.layers.includes(target)) problems.push(`${relative(SRC, file)} imports ${spec} (${target})`);
      } else if (!spec.startsWith('node:') && !rule.packages.includes('*')) {
        if (!rule.packages.includes(packageName(spec)))
          problems.push(`${relative(SRC, file)} imports the package ${spec}`);
      }
    }
  }
  assert.deepEqual(problems, []);
});

test('no import cycle in src/', () => {
  const graph = new Map<string, string[]>();
  for (const file of files(SRC)) {
    graph.set(
      file,
      imports(file)
        .filter((s) => s.startsWith('.'))
        .map((s) => resolveImport(file, s)),
    );
  }
  const cycles = stronglyConnected(graph).filter((c) => c.length > 1 || graph.get(c[0]!)!.includes(c[0]!));
  assert.deepEqual(
    cycles.map((c) => c.map((f) => relative(SRC, f)).sort()),
    [],
  );
});

test('no source file is over 300 lines, frozen migrations aside', () => {
  const long = files(SRC)
    .filter((f) => !f.includes(`${join('storage', 'migrations')}`))
    .map((f) => ({ f: relative(SRC, f), lines: readFileSync(f, 'utf8').split('\n').length - 1 }))
    .filter((x) => x.lines > 300);
  assert.deepEqual(long, []);
});

test('the checker sees imports, layers and cycles', () => {
  assert.ok(imports(join(SRC, 'app', 'start-payment.ts')).some((s) => s.includes('domain/')));
  assert.equal(layerOf(join(SRC, 'http', 'routes', 'orders.ts')), 'http');
  assert.equal(layerOf(join(SRC, 'main.ts')), 'main');
  const a = '/a',
    b = '/b',
    c = '/c';
  const sccs = stronglyConnected(
    new Map([
      [a, [b]],
      [b, [a, c]],
      [c, []],
    ]),
  );
  assert.deepEqual(
    sccs.map((s) => s.sort()).sort((x, y) => x.length - y.length),
    [[c], [a, b]],
  );
});

/** Tarjan's strongly connected components, iterative (no recursion limit on a deep tree). */
function stronglyConnected(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  for (const root of graph.keys()) {
    if (index.has(root)) continue;
    const work: { v: string; i: number }[] = [{ v: root, i: 0 }];
    index.set(root, next);
    low.set(root, next++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const edges = (graph.get(frame.v) ?? []).filter((w) => graph.has(w));
      if (frame.i < edges.length) {
        const w = edges[frame.i++]!;
        if (!index.has(w)) {
          index.set(w, next);
          low.set(w, next++);
          stack.push(w);
          onStack.add(w);
          work.push({ v: w, i: 0 });
        } else if (onStack.has(w)) {
          low.set(frame.v, Math.min(low.get(frame.v)!, index.get(w)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.v, Math.min(low.get(parent.v)!, low.get(frame.v)!));
      if (low.get(frame.v) === index.get(frame.v)) {
        const scc: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          scc.push(w);
        } while (w !== frame.v);
        out.push(scc);
      }
    }
  }
  return out;
}
