import { cpus, totalmem, type as osType, release } from 'node:os';

const MB = 1024 * 1024;

/** 1234567 → "1,234,567". */
export const int = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—');

/** Milliseconds as seconds with sensible precision. */
export const secs = (ms: number): string => {
  if (!Number.isFinite(ms)) return '—';
  const s = ms / 1000;
  return s >= 100 ? `${s.toFixed(0)} s` : s >= 10 ? `${s.toFixed(1)} s` : `${s.toFixed(2)} s`;
};

/** Bytes as MB. */
export const mb = (bytes: number): string =>
  Number.isFinite(bytes) ? `${(bytes / MB).toFixed(bytes >= 100 * MB ? 0 : 1)} MB` : '—';

export const ratio = (x: number): string => (Number.isFinite(x) ? `${x.toFixed(x >= 10 ? 1 : 2)}×` : '—');

export const pct = (x: number): string => (Number.isFinite(x) ? `${Math.round(x * 100)}%` : '—');

/** A Markdown table; cells are escaped for pipes. */
export function table(head: string[], rows: string[][], align?: ('l' | 'r')[]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const sep = head.map((_, i) => ((align?.[i] ?? 'l') === 'r' ? '---:' : '---'));
  return [
    `| ${head.map(esc).join(' | ')} |`,
    `| ${sep.join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

export interface MachineInfo {
  cpu: string;
  os: string;
  memory: string;
  node: string;
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpu: `${list[0]?.model.trim() ?? 'unknown CPU'} × ${list.length}`,
    os: `${osType()} ${release()}`,
    memory: `${(totalmem() / 1024 ** 3).toFixed(1)} GB`,
    node: process.version,
  };
}

/** "Measured 2025-…Z on …": the line every section starts with. */
export function machineLine(m: MachineInfo, store: string, date = new Date()): string {
  return `Measured ${date.toISOString().replace(/\.\d+Z$/, 'Z')} · ${m.cpu} · ${m.memory} RAM · ${m.os} · Node ${m.node} · store: ${store}`;
}
