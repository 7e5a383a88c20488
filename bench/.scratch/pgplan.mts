import pg from 'pg';
process.env.DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
const { freshBenchStore } = await import('../support/store.js');
const store = await freshBenchStore();
await store.storage.close();
const c = new pg.Client({ connectionString: store.url });
await c.connect();
try {
  await c.query(`insert into payment_methods (id,name,connector,settings,secrets,enabled,auto_approve,created_at) values ('pm1','x','acquiring-v1','{}','x',1,0,'2025-01-01')`);
  await c.query(`insert into reconciliation_runs (id,payment_method_id,report_date,file_name,file_hash,via,actor,status,created_at,updated_at) values ('run1','pm1','2025-05-15','f','h','cli','system','running','x','x')`);
  const N = Number(process.argv[2] ?? 100000);
  await c.query(`insert into report_lines (run_id,line_no,provider_ref,order_reference,type,amount,currency,status,at,fee,dup_key,outcome,kind,record_id,order_id,message)
    select 'run1', i, 'Bench-'||i, 'Bench-'||i, 'sale', 1000, 'AMD', 'succeeded', null, 0, '["sale","ref","bench-'||lpad(i::text,7,'0')||'"]', 'matched', null, 'pa_bench'||lpad(i::text,8,'0'), 'ord_bench'||lpad(i::text,8,'0'), null from generate_series(1, $1) i`, [N]);
  const keys = Array.from({ length: 1000 }, (_, k) => `["sale","ref","bench-${String(N + k).padStart(7, '0')}"]`);
  const ph = keys.map((_, k) => `$${k + 2}`).join(', ');
  for (const label of ['no analyze', 'after analyze']) {
    if (label === 'after analyze') await c.query('analyze report_lines');
    const r = await c.query(`explain (analyze, buffers off, timing off, summary on) select distinct dup_key from report_lines where run_id = $1 and dup_key in (${ph})`, ['run1', ...keys]);
    console.log(`--- dup_key, ${N} lines, ${label}`); console.log(r.rows.map((x) => x['QUERY PLAN']).join('\n'));
    const ids = Array.from({ length: 5000 }, (_, k) => `ord_bench${String(k).padStart(8, '0')}:paid_twice`);
    const ph2 = ids.map((_, k) => `$${k + 3}`).join(', ');
    const r2 = await c.query(`explain (analyze, buffers off, timing off, summary on) select distinct record_id from report_lines where run_id = $1 and outcome != $2 and record_id in (${ph2})`, ['run1', 'unreadable', ...ids]);
    console.log(`--- record_id, ${label}`); console.log(r2.rows.map((x) => x['QUERY PLAN']).join('\n'));
  }
} finally {
  await c.end();
  await store.drop();
}
