import type { Command } from 'commander';
import { startAcquiringV1Sandbox } from '../connectors/acquiring-v1/sandbox.js';
import { startFiscalSandbox } from '../adapters/fiscal-sandbox.js';
import { startAmeriaSandbox } from '../connectors/ameria/sandbox.js';
import { startArcaSandbox } from '../connectors/arca/sandbox.js';
import { startCloudPaymentsSandbox } from '../connectors/cloudpayments/sandbox.js';
import { startIdramSandbox } from '../connectors/idram/sandbox.js';
import { startRobokassaSandbox } from '../connectors/robokassa/sandbox.js';
import { startTBankSandbox } from '../connectors/tbank/sandbox.js';
import { startYooKassaSandbox } from '../connectors/yookassa/sandbox.js';

/** The region's acquirers' sandboxes: merchants are registered over their control routes. */
const PROVIDER_SANDBOXES = [
  { id: 'arca', what: 'ArCa iPay (BPC RBS REST)', start: startArcaSandbox, port: 4011, root: '/payment/rest' },
  { id: 'ameria', what: 'Ameriabank vPOS 3.1', start: startAmeriaSandbox, port: 4012, root: '' },
  { id: 'idram', what: 'Idram', start: startIdramSandbox, port: 4013, root: '/Payment/GetPayment' },
  { id: 'tbank', what: 'T-Bank internet acquiring v2', start: startTBankSandbox, port: 4015, root: '/v2' },
  { id: 'yookassa', what: 'YooKassa API v3', start: startYooKassaSandbox, port: 4014, root: '/v3' },
  { id: 'cloudpayments', what: 'CloudPayments', start: startCloudPaymentsSandbox, port: 4017, root: '' },
  { id: 'robokassa', what: 'Robokassa', start: startRobokassaSandbox, port: 4016, root: '/Merchant/Index.aspx' },
] as const;

/** `settle sandbox …`: a provider's sandbox, or the fiscal one, alone. */
export function sandboxCommands(program: Command, port: (v: string) => number): void {
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

  for (const p of PROVIDER_SANDBOXES) {
    sandbox
      .command(p.id)
      .description(
        `the ${p.what} sandbox alone (merchants: POST /_sandbox/merchants; switches: POST /_sandbox/switches)`,
      )
      .option('--port <n>', 'port to listen on', port, p.port)
      .option('--host <host>', 'address to listen on', '127.0.0.1')
      .action(async (opts: { port: number; host: string }) => {
        const running = await p.start({ host: opts.host, port: opts.port });
        console.log(`${p.id} sandbox on ${running.url} (point the payment method at ${running.url}${p.root})`);
        const stop = async () => {
          await running.close();
          process.exit(0);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
  }

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
}
