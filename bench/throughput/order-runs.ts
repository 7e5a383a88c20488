import { randomBytes } from 'node:crypto';
import type autocannon from 'autocannon';
import { int } from '../support/format.js';
import type { CheckDb } from './checks.js';
import { AMOUNT, CURRENCY } from './data.js';
import { runLoad, runPaced } from './load.js';
import type { SettleRun } from './results.js';
import type { ServerProcess } from './server.js';

/**
 * The orders + attempts runs: per connection, POST /v1/orders (a new reference each time) then
 * POST /v1/orders/:id/payments for it; each run is checked against the database afterwards.
 */
export function ordersRunner(check: CheckDb, methodId: string, storeKey: string) {
  let refs = 0;
  return async (
    srv: ServerProcess,
    c: number,
    o: { duration: number; paced?: { rate: number; count: number } },
  ): Promise<SettleRun> => {
    const counts = { orders: 0, attempts: 0 };
    const tag = `run${randomBytes(3).toString('hex')}`;
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${storeKey}` };
    const requests: autocannon.Request[] = [
      {
        method: 'POST',
        path: '/v1/orders',
        headers,
        setupRequest: (req) => ({
          ...req,
          body: JSON.stringify({ reference: `Bench-${tag}-${refs++}`, currency: CURRENCY, amount: AMOUNT }),
        }),
        onResponse: (status, body, context) => {
          if (status === 201) {
            counts.orders += 1;
            (context as { orderId?: string }).orderId = (JSON.parse(body) as { id: string }).id;
          }
        },
      },
      {
        method: 'POST',
        headers,
        setupRequest: (req, context) => {
          const id = (context as { orderId?: string }).orderId;
          return id
            ? { ...req, path: `/v1/orders/${id}/payments`, body: JSON.stringify({ payment_method_id: methodId }) }
            : (undefined as unknown as autocannon.Request);
        },
        onResponse: (status) => {
          if (status === 201) counts.attempts += 1;
        },
      },
    ];
    await srv.trace(true);
    await srv.stalls();
    const cpu0 = await srv.cpuMs();
    const load = o.paced
      ? await runPaced({
          url: srv.url,
          maxConnections: c,
          ...o.paced,
          task: async (_k, request, due) => {
            const made = await request(
              'POST',
              '/v1/orders',
              headers,
              JSON.stringify({ reference: `Bench-${tag}-${refs++}`, currency: CURRENCY, amount: AMOUNT }),
              due,
            );
            if (made.status !== 201) return;
            counts.orders += 1;
            const id = (JSON.parse(made.body) as { id: string }).id;
            const paid = await request(
              'POST',
              `/v1/orders/${id}/payments`,
              headers,
              JSON.stringify({ payment_method_id: methodId }),
            );
            if (paid.status === 201) counts.attempts += 1;
          },
        })
      : await runLoad({ url: srv.url, connections: c, requests, duration: o.duration });
    const cpu = (await srv.cpuMs()) - cpu0;
    const trace = await srv.trace(true);
    const stalls = await srv.stalls();
    const rows = await check.all<{ orders: number | string; attempts: number | string }>(
      `select count(distinct o.id) as orders, count(a.id) as attempts from orders o left join payment_attempts a on a.order_id = o.id where o.reference like $1`,
      [`Bench-${tag}-%`],
    );
    const inDb = { orders: Number(rows[0]?.orders ?? 0), attempts: Number(rows[0]?.attempts ?? 0) };
    const checkOk =
      inDb.orders >= counts.orders &&
      inDb.attempts >= counts.attempts &&
      inDb.orders - counts.orders <= c &&
      inDb.attempts - counts.attempts <= c;
    const pairs = counts.attempts;
    const run: SettleRun = {
      // The rate of this case is pairs (an order and its attempt) per second.
      load: { ...load, rate: pairs / load.seconds },
      serverCpuMs: cpu / Math.max(1, pairs),
      trace,
      stalls,
      checkOk,
      check: `${int(counts.orders)} orders and ${int(counts.attempts)} attempts answered 201; in the database ${int(inDb.orders)} and ${int(inDb.attempts)}${checkOk ? '' : ' (mismatch)'}`,
    };
    return run;
  };
}
