import { createHash } from 'node:crypto';
import type { AppDeps } from '../app/deps.js';
import { loadMethod } from '../app/payment-methods.js';
import { importReport } from '../app/reconcile.js';
import type { ReportSource } from '../ports/report-reader.js';

export interface DailyOutcome {
  paymentMethodId: string;
  runId?: string;
  status: 'completed' | 'recognised' | 'failed' | 'no_report';
  error?: string;
}

/**
 * The scheduled run: yesterday's (UTC) report of every enabled payment method whose connector
 * fetches its own, imported as any other. Across servers one runs it (an advisory lock on
 * PostgreSQL); a report fetched twice is recognised by its hash and not counted again.
 */
export async function runDailyReconciliation(
  deps: AppDeps,
  date = yesterday(deps),
): Promise<DailyOutcome[] | undefined> {
  return deps.storage.runExclusive('reconcile-daily', async () => {
    const out: DailyOutcome[] = [];
    for (const pm of await deps.storage.read.listPaymentMethods()) {
      if (!pm.enabled) continue;
      const method = loadMethod(deps, pm);
      if (!method.ok || !method.value.fetchReport) continue;
      const fetched = await method.value.fetchReport({ date });
      if (!fetched.ok) {
        out.push({ paymentMethodId: pm.id, status: 'no_report', error: fetched.error.message });
        continue;
      }
      const r = await importReport(
        deps,
        { paymentMethodId: pm.id, date, source: bytesSource(fetched.value.name, fetched.value.body), via: 'schedule' },
        'system',
      );
      out.push(
        r.ok
          ? { paymentMethodId: pm.id, runId: r.value.run.id, status: r.value.recognised ? 'recognised' : 'completed' }
          : { paymentMethodId: pm.id, status: 'failed', error: r.error.message },
      );
    }
    return out;
  });
}

function bytesSource(name: string, bytes: Uint8Array): ReportSource {
  return {
    name,
    hash: createHash('sha256').update(bytes).digest('hex'),
    async *open() {
      yield bytes;
    },
  };
}

function yesterday(deps: AppDeps): string {
  return new Date(deps.clock.now().getTime() - 86_400_000).toISOString().slice(0, 10);
}
