import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { table, pct } from './format.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Which part of the program a frame belongs to, by its file. */
function area(url: string, fn: string): string {
  // The driver trace wraps better-sqlite3's native calls: their time is SQLite's own.
  if (url.includes('bench/support/trace-driver')) return 'SQLite executing statements (native)';
  if (!url) return fn.startsWith('(') ? fn : '(native / V8)';
  const nm = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (nm) return nm[1]!;
  const src = url.match(/\/(src|bench)\/([^/]+)\//);
  if (src) return `${src[1]}/${src[2]}`;
  if (url.startsWith('node:')) return 'node internals';
  return url.replace(/^.*\//, '');
}

export interface ProfileSummary {
  totalMs: number;
  areas: { area: string; ms: number }[];
  functions: { name: string; where: string; ms: number }[];
}

/** Self time by area (src/storage, kysely, csv-parse, GC …) and by function, from the .cpuprofile files in `dir`; shares are of the time the thread was busy. */
export function summariseProfiles(dir: string): ProfileSummary {
  const byArea = new Map<string, number>();
  const byFn = new Map<string, { name: string; where: string; ms: number }>();
  let totalMs = 0;
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.cpuprofile'))) {
    const p = JSON.parse(readFileSync(join(dir, f), 'utf8')) as CpuProfile;
    const nodes = new Map(p.nodes.map((n) => [n.id, n]));
    for (let i = 0; i < p.samples.length; i++) {
      const node = nodes.get(p.samples[i]!);
      const ms = (p.timeDeltas[i + 1] ?? 0) / 1000;
      if (!node) continue;
      totalMs += ms;
      const { functionName, url, lineNumber } = node.callFrame;
      if (functionName === '(idle)' || functionName === '(program)') {
        totalMs -= ms;
        continue;
      }
      const a = area(url, functionName);
      byArea.set(a, (byArea.get(a) ?? 0) + ms);
      // Line numbers of tsx-compiled files are not the source's: name the file only for those.
      const file = url.replace(/^.*?\/(node_modules|src|bench)\//, '$1/');
      const where = !url ? '' : url.includes('/node_modules/') ? `${file}:${lineNumber + 1}` : file;
      const traced = url.includes('bench/support/trace-driver');
      const name = traced ? 'better-sqlite3 Statement run/all (native SQLite)' : functionName || '(anonymous)';
      const key = `${name}@${where}`;
      const e = byFn.get(key) ?? { name, where, ms: 0 };
      e.ms += ms;
      byFn.set(key, e);
    }
  }
  return {
    totalMs,
    areas: [...byArea].map(([a, ms]) => ({ area: a, ms })).sort((x, y) => y.ms - x.ms),
    functions: [...byFn.values()].sort((x, y) => y.ms - x.ms),
  };
}

export function profileMarkdown(s: ProfileSummary, top = 12): string {
  const share = (ms: number) => pct(ms / s.totalMs);
  return [
    table(
      ['where (self time)', 'share'],
      s.areas.slice(0, top).map((a) => [a.area, share(a.ms)]),
      ['l', 'r'],
    ),
    '',
    table(
      ['function', 'file', 'share'],
      s.functions.slice(0, top).map((f) => [f.name, f.where, share(f.ms)]),
      ['l', 'l', 'r'],
    ),
  ].join('\n');
}
