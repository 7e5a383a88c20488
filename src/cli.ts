#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { accessCommands } from './cli/access-commands.js';
import { sandboxCommands } from './cli/sandbox-commands.js';
import type { FastifyPluginAsync } from 'fastify';
import { createLogger } from './adapters/logger.js';

import { runJanitor } from './app/janitor.js';
import { ConfigError, loadConfig } from './config.js';

import { setupDemo, type Demo } from './demo/setup-demo.js';
import { buildServer } from './server.js';
import { compose, fiscalToken } from './main.js';

import { startScheduler } from './worker/scheduler.js';
import { runDailyReconciliation } from './worker/daily-reconciliation.js';
import { reportSourceFromFile } from './adapters/report-file.js';
import { importReport } from './app/reconcile.js';
import { runView } from './contract/reconciliation-run.js';

import { drainOutbox, startOutboxWorker } from './worker/outbox-worker.js';
import { FiscalSandbox, fiscalSandboxPlugin } from './adapters/fiscal-sandbox.js';

const port = (v: string) => {
  if (!/^\d+$/.test(v) || Number(v) > 65535) throw new InvalidArgumentError('a port number, 0 to 65535');
  return Number(v);
};

// package.json sits one folder above both src/cli.ts (tsx) and dist/cli.js.
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

const program = new Command()
  .name('settle')
  .description('Settle: the payment side of an online store')
  .version(version, '-V, --version', 'print the version')
  .showHelpAfterError();

program
  .command('serve')
  .description('run the HTTP server (migrates the database first)')
  .option('--port <n>', 'port to listen on (default: PORT or 3000)', port)
  .option('--demo', 'mount the acquirer sandbox and the demo shop, print a store API key')
  .option('--no-janitor', 'do not run the scheduled janitor in this process')
  .option('--no-worker', 'do not deliver the outbox in this process (run `settle worker` instead)')
  .action(async (opts: { port?: number; demo?: boolean; janitor: boolean; worker: boolean }) => {
    const config = loadConfig(process.env, { port: opts.port });
    const logger = createLogger({ level: config.logLevel, format: config.logFormat });
    const composed = compose(config);
    await composed.storage.migrate();
    const plugins = [];
    // Without FISCAL_URL receipts go to the built-in fiscal sandbox, served here.
    // Its control routes (switches, the list of receipts) only in the demo.
    if (config.fiscal.mode === 'sandbox') {
      const sandbox = new FiscalSandbox({ token: fiscalToken(config.fiscal, composed.deps.secretBox) });
      const plugin: FastifyPluginAsync = async (app) =>
        app.register(fiscalSandboxPlugin, { sandbox, controlRoutes: Boolean(opts.demo) });
      plugins.push({ plugin, prefix: '/sandbox/fiscal' });
    }
    let demo: Demo | undefined;
    if (opts.demo) demo = await setupDemo(composed.deps);
    const app = await buildServer(composed.deps, {
      logger,
      plugins,
      rateLimits: config.rateLimits,
      metrics: { render: composed.metrics.render, token: config.metricsToken },
      demo,
    });
    await app.listen({ port: config.port, host: config.host });
    const scheduler = opts.janitor
      ? startScheduler(composed.deps, config.janitor, config.reconcileSchedule, logger)
      : undefined;
    const worker = opts.worker ? startOutboxWorker(composed.deps, { ...config.outbox, logger }) : undefined;
    const db = composed.storage.kind === 'sqlite' ? config.databaseUrl.replace(/^sqlite:/, '') : 'PostgreSQL';
    console.log(`Settle is listening on ${config.publicUrl} (database: ${db})`);
    if (config.fiscal.mode === 'sandbox')
      console.log(
        'Fiscal receipts go to the built-in sandbox: they are not real receipts. Set FISCAL_URL (or FISCAL_URL=off).',
      );
    if (demo) {
      console.log(
        `Demo shop:      ${config.publicUrl}/demo  (pays through the sandboxes of ${demo.methods.map((m) => m.connector).join(', ')})`,
      );
      printDemo(demo, config.publicUrl);
    }
    const stop = async () => {
      scheduler?.stop();
      await worker?.stop();
      await app.close();
      demo?.close();
      await composed.close();
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });

/** What a newcomer needs to try the API and the admin pages: printed in demo mode only. */
function printDemo(demo: Demo, url: string) {
  console.log(`API (OpenAPI):  ${url}/openapi.json`);
  console.log(
    demo.storeKey
      ? `Store API key:  ${demo.storeKey}  (demo only; the same at every start)`
      : 'Store API key:  none (the demo key was revoked): npx settle api-key create --name shop --scopes store',
  );
  console.log('Payment methods (payment_method_id, for POST /v1/orders/{id}/payments):');
  for (const m of demo.methods) console.log(`  ${m.paymentMethodId}  ${m.name} (${m.connector}, ${m.currency})`);
  console.log(`Admin pages:    ${url}/admin  (demo only: ${demo.adminEmail} / ${demo.adminPassword}, new each start)`);
  if (demo.storeKey) console.log(`  curl -H "Authorization: Bearer ${demo.storeKey}" ${url}/v1/payment-methods`);
}

program
  .command('migrate')
  .description('run pending database migrations')
  .action(async () => {
    const composed = compose(loadConfig());
    await composed.storage.migrate();
    console.log('Migrations are current.');
    await composed.close();
  });

program
  .command('janitor')
  .description('run one janitor sweep now: check late payments, expire old ones, settle unanswered cancels')
  .action(async () => {
    const config = loadConfig();
    const composed = compose(config);
    await composed.storage.migrate();
    const report = await runJanitor(composed.deps, config.janitor);
    console.log(report ? JSON.stringify(report) : 'Another server is running a sweep right now.');
    await composed.close();
  });

const reconcile = program.command('reconcile').description("daily reconciliation with the provider's report");
reconcile
  .command('import')
  .description(
    "import a provider's report of one day and reconcile it; importing the same file again changes nothing, an interrupted import goes on where it stopped",
  )
  .requiredOption('--payment-method <id>', 'the payment method whose report it is')
  .requiredOption('--date <YYYY-MM-DD>', 'the day the report covers (UTC)')
  .argument(
    '<file>',
    "the report (CSV read through the payment method's report mapping, or the connector's own format)",
  )
  .action(async (file: string, opts: { paymentMethod: string; date: string }) => {
    const config = loadConfig();
    const composed = compose(config);
    await composed.storage.migrate();
    try {
      const source = await reportSourceFromFile(file);
      const r = await importReport(
        composed.deps,
        { paymentMethodId: opts.paymentMethod, date: opts.date, source, via: 'cli' },
        'system',
      );
      if (!r.ok) {
        console.error(`${r.error.code}: ${r.error.message}`);
        process.exitCode = 1;
        return;
      }
      console.log(JSON.stringify(runView(r.value.run), null, 2));
      if (r.value.recognised) console.error('This file was imported before: nothing was counted again.');
    } finally {
      await composed.close();
    }
  });
reconcile
  .command('daily')
  .description(
    "run the scheduled reconciliation now: yesterday's report of every payment method whose connector fetches it",
  )
  .option('--date <YYYY-MM-DD>', 'another day than yesterday (UTC)')
  .action(async (opts: { date?: string }) => {
    const config = loadConfig();
    const composed = compose(config);
    await composed.storage.migrate();
    try {
      const out = await runDailyReconciliation(composed.deps, opts.date);
      console.log(out ? JSON.stringify(out, null, 2) : 'Another server is running the daily reconciliation right now.');
    } finally {
      await composed.close();
    }
  });

program
  .command('worker')
  .description('deliver the outbox (webhooks, e-mail, fiscal receipts) with retries; several may run at once')
  .option('--once', 'deliver what is due now, then exit')
  .action(async (opts: { once?: boolean }) => {
    const config = loadConfig();
    const logger = createLogger({ level: config.logLevel, format: config.logFormat });
    const composed = compose(config);
    await composed.storage.migrate();
    if (opts.once) {
      console.log(`Delivered or retried ${await drainOutbox(composed.deps, config.outbox.batch)} message(s).`);
      await composed.close();
      return;
    }
    const worker = startOutboxWorker(composed.deps, { ...config.outbox, logger });
    logger.info('outbox worker started');
    const stop = async () => {
      await worker.stop();
      await composed.close();
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });

accessCommands(program);
sandboxCommands(program, port);

program.parseAsync().catch((e: unknown) => {
  if (e instanceof ConfigError || e instanceof InvalidArgumentError) {
    console.error(`settle: ${e.message}`);
    process.exit(2);
  }
  console.error(e);
  process.exit(1);
});
