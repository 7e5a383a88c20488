import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

/** Paths pino blanks in every line: keys, secrets, signatures, anything that could open an order. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["idempotency-key"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'authorization',
  'apiKey',
  'api_key',
  'key',
  'order_key',
  'orderKey',
  'private_key',
  'privateKey',
  'password',
  'secret',
  'settings.private_key',
  '*.private_key',
  '*.privateKey',
  '*.order_key',
  '*.secret',
  '*.password',
  'masterKey',
  'token',
  '*.token',
  '_csrf',
  '*._csrf',
];

/** URLs are logged without their query (signatures) and with public keys masked. */
export function maskUrl(url: string): string {
  const path = url.split('?')[0] ?? '';
  return path.replace(/^\/v1\/public\/orders\/[^/]+/, '/v1/public/orders/***').replace(/^\/pay\/[^/]+/, '/pay/***');
}

/**
 * The process's logger. Lines are redacted before they reach any stream. Without a destination
 * they go to standard output: as JSON for a log collector, or (format pretty, or auto in a
 * terminal) as readable lines, formatted in this process so they keep their order with the
 * start-up banner.
 */
export function createLogger(
  opts: { level?: string; format?: 'auto' | 'json' | 'pretty'; destination?: pino.DestinationStream } = {},
): Logger {
  const readable = opts.format === 'pretty' || (opts.format === 'auto' && process.stdout.isTTY === true);
  const destination =
    opts.destination ?? (readable ? pretty({ colorize: process.stdout.isTTY === true, sync: true }) : undefined);
  return pino(
    {
      level: opts.level ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '***' },
      serializers: {
        req: (req: { id?: string; method?: string; url?: string }) => ({
          id: req.id,
          method: req.method,
          url: maskUrl(req.url ?? ''),
        }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      },
    },
    destination,
  );
}
