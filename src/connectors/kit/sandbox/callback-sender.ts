// A sandbox's callback sender: each status change's callbacks go out in the background with
// retries (doubling delays), duplicated, dropped, delayed or followed by a stale one as the
// switches say, every try logged. close() cancels what is pending; idle() waits for it.
import { randomInt } from 'node:crypto';
import type { CommonSwitches } from './switches.js';

export interface SandboxDelivery {
  orderId: string;
  status: string;
  /** The callback URL this try went to. */
  url: string;
  /** null: network error or timeout. */
  httpStatus: number | null;
  /** The receiver answered 2xx. */
  acknowledged: boolean;
  /** 1 for the first try of a callback, 2.. for its retries. */
  attempt: number;
  at: string;
}

export interface SenderOptions {
  /** Tries per callback, the first included (default 6). */
  retryAttempts?: number;
  /** Delay before the first retry, doubled each time (default 200 ms). */
  retryBaseDelayMs?: number;
  /** Per callback try (default 5000 ms). */
  deliveryTimeoutMs?: number;
  /** How long a status change waits for the first callback try (default 2000 ms). */
  firstTryWaitMs?: number;
}

/** One callback as the protocol signs it. */
export interface OutgoingCallback {
  orderId: string;
  status: string;
  contentType: string;
  body: string;
  /**
   * How it is sent (default POST with `body`). GET sends `query` (urlencoded, without "?") appended
   * to the callback URL and no body; `contentType` and `body` are then ignored.
   */
  method?: 'GET' | 'POST';
  query?: string;
  /**
   * Whether an answer acknowledges the callback (default: any 2xx). Providers that want a body
   * say so here: T-Bank retries until it reads HTTP 200 with the body "OK".
   */
  acknowledges?: (httpStatus: number, body: string) => boolean;
  /** More headers (CloudPayments' Content-HMAC). */
  headers?: Record<string, string>;
}

const DELIVERY_LOG_MAX = 10_000;

interface Sleeper {
  timer: NodeJS.Timeout;
  resolve: () => void;
}

export class CallbackSender {
  readonly #deliveries: SandboxDelivery[] = [];
  readonly #sleepers = new Set<Sleeper>();
  readonly #closing = new AbortController();
  #pending = 0;
  #idleWaiters: (() => void)[] = [];
  readonly #opts: Required<SenderOptions>;

  constructor(opts: SenderOptions = {}) {
    this.#opts = {
      retryAttempts: opts.retryAttempts ?? 6,
      retryBaseDelayMs: opts.retryBaseDelayMs ?? 200,
      deliveryTimeoutMs: opts.deliveryTimeoutMs ?? 5000,
      firstTryWaitMs: opts.firstTryWaitMs ?? 2000,
    };
  }

  get closed(): boolean {
    return this.#closing.signal.aborted;
  }

  /** A log of every callback try, oldest first. */
  get deliveries(): readonly SandboxDelivery[] {
    return this.#deliveries.map((d) => ({ ...d }));
  }

  /**
   * Starts the callbacks for a status change in the background: the status, its duplicate, then
   * the stale one (`openStatus` for `staleAfter: true`), each retried on its own. Resolves after
   * the first try of the first (at most firstTryWaitMs), at once when callbacks are delayed or
   * dropped: the browser must not wait for retries.
   */
  notify(
    urls: readonly string[],
    status: string,
    sign: (status: string) => OutgoingCallback,
    sw: CommonSwitches,
    openStatus: string,
  ): Promise<void> {
    if (sw.drop || this.closed) return Promise.resolve();
    const statuses = [status];
    if (sw.duplicate) statuses.push(status);
    if (sw.staleAfter !== undefined) statuses.push(sw.staleAfter === true ? openStatus : sw.staleAfter);
    let firstTried!: () => void;
    const firstTry = new Promise<void>((resolve) => (firstTried = resolve));
    void this.track(async () => {
      try {
        if (sw.delayMs) await this.sleep(sw.delayMs);
        for (const [i, s] of statuses.entries()) await this.#deliver(urls, sign(s), i === 0 ? firstTried : undefined);
      } finally {
        firstTried();
      }
    }).catch(() => undefined); // #post never throws; this only keeps a bug from crashing the demo
    if (sw.delayMs) return Promise.resolve();
    return new Promise<void>((resolve) => {
      // Only a bound on the wait: the delivery itself holds the event loop while it runs.
      const bound = setTimeout(resolve, this.#opts.firstTryWaitMs).unref();
      void firstTry.then(() => {
        clearTimeout(bound);
        resolve();
      });
    });
  }

  /** One try now, no retry, logged. Resolves with the receiver's HTTP status, or null on a network error. */
  sendOnce(urls: readonly string[], callback: OutgoingCallback): Promise<number | null> {
    return this.track(async () => (await this.#post(urls, callback, 1)).httpStatus);
  }

  /** Resolves when no callback delivery, retry or delay is pending. */
  idle(): Promise<void> {
    if (this.#pending === 0 || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Cancels pending retries and delays and releases held answers. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.#closing.abort();
    for (const s of this.#sleepers) {
      clearTimeout(s.timer);
      s.resolve();
    }
    this.#sleepers.clear();
    this.#wakeIdle();
  }

  /**
   * A delay that ends early on close. Not unref'd: a pending retry is work someone may be
   * awaiting (idle()); close() clears every one, so nothing outlives the sandbox.
   */
  sleep(ms: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const sleeper: Sleeper = {
        timer: setTimeout(() => {
          this.#sleepers.delete(sleeper);
          resolve();
        }, ms),
        resolve,
      };
      this.#sleepers.add(sleeper);
    });
  }

  /** Runs work that idle() waits for. */
  async track<T>(work: () => Promise<T>): Promise<T> {
    this.#pending++;
    try {
      return await work();
    } finally {
      this.#pending--;
      if (this.#pending === 0) this.#wakeIdle();
    }
  }

  #wakeIdle(): void {
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const w of waiters) w();
  }

  async #deliver(urls: readonly string[], callback: OutgoingCallback, onFirstTry?: () => void): Promise<void> {
    for (let attempt = 1; attempt <= this.#opts.retryAttempts && !this.closed; attempt++) {
      const { acknowledged } = await this.#post(urls, callback, attempt);
      if (attempt === 1) onFirstTry?.();
      if (acknowledged) return;
      if (attempt < this.#opts.retryAttempts) await this.sleep(this.#opts.retryBaseDelayMs * 2 ** (attempt - 1));
    }
  }

  /** One try to one of the URLs picked at random, logged. */
  async #post(
    urls: readonly string[],
    callback: OutgoingCallback,
    attempt: number,
  ): Promise<{ httpStatus: number | null; acknowledged: boolean }> {
    let httpStatus: number | null;
    let body = '';
    const at = new Date().toISOString();
    const url = urls[randomInt(urls.length)]!;
    try {
      const signal = AbortSignal.any([AbortSignal.timeout(this.#opts.deliveryTimeoutMs), this.#closing.signal]);
      const res =
        callback.method === 'GET'
          ? await fetch(withQuery(url, callback.query ?? ''), { method: 'GET', redirect: 'manual', signal })
          : await fetch(url, {
              method: 'POST',
              headers: { 'content-type': callback.contentType, ...callback.headers },
              body: callback.body,
              redirect: 'manual',
              signal,
            });
      httpStatus = res.status;
      body = await res.text().catch(() => '');
    } catch {
      httpStatus = null;
    }
    const acknowledged =
      httpStatus !== null &&
      (callback.acknowledges ? callback.acknowledges(httpStatus, body) : httpStatus >= 200 && httpStatus < 300);
    this.#deliveries.push({
      orderId: callback.orderId,
      status: callback.status,
      url,
      httpStatus,
      acknowledged,
      attempt,
      at,
    });
    // A demo may run for days: keep the log bounded.
    if (this.#deliveries.length > DELIVERY_LOG_MAX)
      this.#deliveries.splice(0, this.#deliveries.length - DELIVERY_LOG_MAX);
    return { httpStatus, acknowledged };
  }
}

/** The callback URL with a query string appended ("?" or "&" as the URL already has one). */
function withQuery(url: string, query: string): string {
  if (query === '') return url;
  return `${url}${url.includes('?') ? '&' : '?'}${query}`;
}
