// A sandbox's switches: the misbehaviour Settle must survive, per order id or for all ('*'), set
// over its control route. Every sandbox has the delivery and API ones; a protocol adds its own.

/** The switches every sandbox has. An order's own switches override the global ones field by field. */
export interface CommonSwitches {
  /** Wait this long before sending callbacks (the browser is then redirected without waiting). */
  delayMs?: number;
  /** Send each callback twice. */
  duplicate?: boolean;
  /** Send no callbacks; the status still changes, so a status check tells the truth. */
  drop?: boolean;
  /** After the real status, also send this older one (`true` means the protocol's open status). */
  staleAfter?: string | true;
  /** Hold API answers this long, to exceed a client's timeout. */
  timeoutMs?: number;
  /** Answer API calls with this HTTP status and a non-JSON body. */
  apiHttpStatus?: number;
}

/** How a switch's value is checked on the control route. */
export type SwitchKind = 'ms' | 'bool' | 'status' | 'stale' | 'http' | 'code';

export const COMMON_SWITCH_KINDS: Record<keyof CommonSwitches, SwitchKind> = {
  delayMs: 'ms',
  duplicate: 'bool',
  drop: 'bool',
  staleAfter: 'stale',
  timeoutMs: 'ms',
  apiHttpStatus: 'http',
};

const shortText = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length <= 256;

const VALID: Record<SwitchKind, (v: unknown) => boolean> = {
  ms: (v) => Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= 600_000,
  bool: (v) => typeof v === 'boolean',
  status: shortText,
  stale: (v) => v === true || shortText(v),
  http: (v) => Number.isSafeInteger(v) && (v as number) >= 200 && (v as number) <= 599,
  code: (v) => typeof v === 'string' && /^\d{1,9}$/.test(v),
};

/** The switches by order id; ids are compared as the protocol compares them (`normalize`). */
export class SwitchBoard<S extends object> {
  readonly #switches = new Map<string, S>();
  constructor(private readonly normalize: (id: string) => string) {}

  /** Replaces the switches of one id or, with '*', the global ones. `{}` clears. */
  set(id: string, switches: S): void {
    this.#switches.set(id === '*' ? '*' : this.normalize(id), { ...switches });
  }

  /** The switches in force for one id: its own over the global ones. */
  for(id: string): S {
    return { ...this.#switches.get('*'), ...this.#switches.get(this.normalize(id)) } as S;
  }
}

/**
 * Reads the control route's body `{orderId?, ...switches}`: an id that `idOk` accepts or '*'
 * (the default), and only known switches with valid values. A string is the reason it is refused.
 */
export function readSwitches<S extends object>(
  body: unknown,
  kinds: Record<keyof S, SwitchKind>,
  idOk: (id: string) => boolean,
): { orderId: string; switches: S } | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the body must be a JSON object';
  const fields = body as Record<string, unknown>;
  const orderId = fields.orderId ?? '*';
  if (typeof orderId !== 'string' || (orderId !== '*' && !idOk(orderId))) return 'orderId must be "*" or an OrderID';
  const switches: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (k === 'orderId') continue;
    const kind = Object.prototype.hasOwnProperty.call(kinds, k) ? kinds[k as keyof S] : undefined;
    if (!kind || !VALID[kind](v)) return `switch ${k.slice(0, 40)} is unknown or has a bad value`;
    switches[k] = v;
  }
  return { orderId, switches: switches as S };
}
