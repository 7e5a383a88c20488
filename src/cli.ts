#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from 'commander';
import type { FastifyPluginAsync } from 'fastify';
import { createLogger } from './adapters/logger.js';
import { createApiKey, SCOPES } from './app/api-keys.js';
import { runJanitor } from './app/janitor.js';
import { ConfigError, loadConfig } from './config.js';
import { startAcquiringV1Sandbox } from './connectors/acquiring-v1/sandbox.js';
import { demoShop } from './demo/demo-shop.js';
import { SANDBOX_PREFIX, setupDemo } from './demo/setup-demo.js';
import { buildServer } from './http/server.js';
import { compose, fiscalToken } from './main.js';
import type { Scope } from './ports/storage.js';
import { startScheduler } from './worker/scheduler.js';
import { runDailyReconciliation } from './worker/daily-reconciliation.js';
import { reportSourceFromFile } from './adapters/report-file.js';
import { importReport } from './app/reconcile.js';
import { runView } from './contract/reconciliation-run.js';
import { changeUser, createUser } from './app/users.js';
import { isRole, type Role } from './domain/roles.js';
import { drainOutbox, startOutboxWorker } from './worker/outbox-worker.js';
import { FiscalSandbox, fiscalSandboxPlugin, startFiscalSandbox } from './adapters/fiscal-sandbox.js';

const port = (v: string) => {
  if (!/^\d+$/.test(v) || Number(v) > 65535) throw new InvalidArgumentError('a port number, 0 to 65535');
  return Number(v);
};

const program = new Command()
  .name('settle')
  .description('Settle: the payment side of an online store')
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
    const logger = createLogger({ level: config.logLevel });
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
    let demo: Awaited<ReturnType<typeof setupDemo>> | undefined;
    if (opts.demo) {
      demo = await setupDemo(composed.deps);
      plugins.push(
        { plugin: demo.sandbox.plugin, prefix: SANDBOX_PREFIX },
        { plugin: demoShop(composed.deps, demo.paymentMethodId), prefix: '/demo' },
      );
    }
    const app = await buildServer(composed.deps, {
      logger,
      plugins,
      rateLimits: config.rateLimits,
      metrics: { render: composed.metrics.render, token: config.metricsToken },
    });
    if (demo) app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.redirect('/demo', 302));
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
      console.log(`Demo shop:      ${config.publicUrl}/demo`);
      console.log(`API (OpenAPI):  ${config.publicUrl}/openapi.json`);
      console.log(`Store API key (demo only, shown once): ${demo.storeKey}`);
      console.log(
        `Admin pages:    ${config.publicUrl}/admin  (demo only: ${demo.adminEmail} / ${demo.adminPassword}, new each start)`,
      );
      console.log(`  curl -H "Authorization: Bearer ${demo.storeKey}" ${config.publicUrl}/v1/orders`);
    }
    const stop = async () => {
      scheduler?.stop();
      await worker?.stop();
      await app.close();
      demo?.sandbox.close();
      await composed.close();
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });

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
    const logger = createLogger({ level: config.logLevel });
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

const apiKey = program.command('api-key').description('manage API keys');
apiKey
  .command('create')
  .description('create an API key; it is printed once and stored only as a hash')
  .requiredOption('--name <name>', 'who or what uses the key')
  .addOption(new Option('--scopes <list>', 'comma-separated: store, accounting, admin').default('store'))
  .action(async (opts: { name: string; scopes: string }) => {
    const scopes = opts.scopes
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const bad = scopes.filter((s) => !SCOPES.includes(s as Scope));
    if (bad.length > 0 || scopes.length === 0)
      throw new InvalidArgumentError(`unknown scope(s): ${bad.join(', ') || '(none)'}; use store, accounting, admin`);
    if (opts.name.length < 1 || opts.name.length > 100)
      throw new InvalidArgumentError('--name must be 1 to 100 characters');
    const composed = compose(loadConfig());
    await composed.storage.migrate();
    const { key, record } = await createApiKey(composed.deps, { name: opts.name, scopes: scopes as Scope[] });
    console.log(key);
    console.error(
      `Created API key ${record.id} "${record.name}" with scopes ${record.scopes.join(', ')}. It is not shown again.`,
    );
    await composed.close();
  });

/** The first line of standard input, for a password that must not appear in the shell's history. */
async function readPasswordFromStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text.split(/\r?\n/)[0] ?? '';
}

const role = (v: string): Role => {
  if (!isRole(v)) throw new InvalidArgumentError('use admin, support or accounting');
  return v;
};

const user = program.command('user').description('manage the people who sign in to the admin pages');
user
  .command('create')
  .description(
    'create a user; prints a generated password once, or takes one from standard input with --password-stdin',
  )
  .requiredOption('--email <email>', 'what they sign in with')
  .requiredOption('--role <role>', 'admin, support or accounting', role)
  .option('--password-stdin', 'read the password (at least 12 characters) from the first line of standard input')
  .action(async (opts: { email: string; role: Role; passwordStdin?: boolean }) => {
    const password = opts.passwordStdin ? await readPasswordFromStdin() : undefined;
    const composed = compose(loadConfig());
    await composed.storage.migrate();
    const r = await createUser(composed.deps, { email: opts.email, role: opts.role, password });
    await composed.close();
    if (!r.ok) {
      console.error(r.error.message);
      process.exit(2);
    }
    if (r.value.generated) console.log(r.value.password);
    console.error(
      `Created ${r.value.user.role} user ${r.value.user.email}.${r.value.generated ? ' The password above is not shown again.' : ''}`,
    );
  });
user
  .command('update')
  .description("change a user's role or password, or disable or enable them; their sessions end")
  .requiredOption('--email <email>', 'the user')
  .option('--role <role>', 'admin, support or accounting', role)
  .option('--password-stdin', 'read a new password from the first line of standard input')
  .option('--disable', 'stop them signing in')
  .option('--enable', 'let them sign in again')
  .action(
    async (opts: { email: string; role?: Role; passwordStdin?: boolean; disable?: boolean; enable?: boolean }) => {
      if (opts.disable && opts.enable) throw new InvalidArgumentError('give --disable or --enable, not both');
      const password = opts.passwordStdin ? await readPasswordFromStdin() : undefined;
      const composed = compose(loadConfig());
      await composed.storage.migrate();
      const r = await changeUser(composed.deps, {
        email: opts.email,
        role: opts.role,
        password,
        disabled: opts.disable ? true : opts.enable ? false : undefined,
      });
      await composed.close();
      if (!r.ok) {
        console.error(r.error.message);
        process.exit(2);
      }
      console.error(`Updated ${r.value.email}: ${r.value.role}${r.value.disabledAt ? ', disabled' : ''}.`);
    },
  );

const sandbox = program.command('sandbox').description("run a provider's sandbox alone");
sandbox
  .command('acquiring-v1')
  .description('the seed acquirer sandbox (shops are added with POST /_sandbox/shops or the options below)')
  .option('--port <n>', 'port to listen on', port, 4010)
  .option('--host <host>', 'address to listen on', '127.0.0.1')
  .option('--shop-id <id>', 'a shop to register at start')
  .option('--private-key <key>', "that shop's private key (prefer the SANDBOX_PRIVATE_KEY environment variable)")
  .option('--callback-url <url>', "that shop's callback URL")
  .option('--return-url <url>', "that shop's return URL template, with [OrderID]")
  .action(
    async (opts: {
      port: number;
      host: string;
      shopId?: string;
      privateKey?: string;
      callbackUrl?: string;
      returnUrl?: string;
    }) => {
      const privateKey = opts.privateKey ?? process.env.SANDBOX_PRIVATE_KEY;
      const shops =
        opts.shopId && privateKey && opts.callbackUrl
          ? [{ shopId: opts.shopId, privateKey, callbackUrl: opts.callbackUrl, returnUrl: opts.returnUrl }]
          : [];
      const running = await startAcquiringV1Sandbox({ host: opts.host, port: opts.port, shops });
      console.log(
        `acquiring-v1 sandbox on ${running.url}${shops.length ? ` with shop ${opts.shopId}` : ' (no shops yet: POST /_sandbox/shops)'}`,
      );
      const stop = async () => {
        await running.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
  );

sandbox
  .command('fiscal')
  .description('the built-in fiscal (receipt registration) sandbox alone; switches at POST /_sandbox/switches')
  .option('--port <n>', 'port to listen on', port, 4020)
  .option('--host <host>', 'address to listen on', '127.0.0.1')
  .action(async (opts: { port: number; host: string }) => {
    // The token comes from the environment only: a command line is visible to every user.
    const running = await startFiscalSandbox({
      host: opts.host,
      port: opts.port,
      token: process.env.FISCAL_TOKEN || undefined,
    });
    console.log(`fiscal sandbox on ${running.url} (FISCAL_URL=${running.url})`);
    const stop = async () => {
      await running.close();
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });

program.parseAsync().catch((e: unknown) => {
  if (e instanceof ConfigError || e instanceof InvalidArgumentError) {
    console.error(`settle: ${e.message}`);
    process.exit(2);
  }
  console.error(e);
  process.exit(1);
});
