// Calls to the gateway's REST methods: form-encoded POSTs with the API login, JSON answers whose
// errorCode (or `success`) says whether the gateway did what was asked. Through the kit's
// callProvider, so timeouts, 5xx and unreadable bodies are "outcome unknown".
import type { Result } from '../../domain/result.js';
import type { ConnectorContext } from '../../ports/connector.js';
import type { CallFailure } from '../../ports/provider-failure.js';
import { callProvider, type Reading } from '../kit/provider-call.js';
import type { ArcaSettings } from './settings.js';
import { readCode } from './wire.js';

export type ApiMethod = 'register.do' | 'getOrderStatusExtended.do' | 'reverse.do' | 'deposit.do' | 'refund.do';

export type Answer = Record<string, unknown>;

const PROVIDER = 'ArCa';
const MESSAGE_MAX = 200;

/**
 * POSTs one method with `params` and the API login; `read` turns an answer the gateway accepted
 * (errorCode 0 or absent, or success true) into a value. An errorCode other than 0 is the
 * gateway's refusal, with the code in details. Messages never carry the URL or the body.
 */
export function callApi<T>(
  ctx: ConnectorContext,
  s: ArcaSettings,
  method: ApiMethod,
  params: Record<string, string>,
  what: string,
  read: (answer: Answer) => Reading<T>,
): Promise<Result<T, CallFailure>> {
  const body = new URLSearchParams({ userName: s.username, password: s.password.reveal(), ...params }).toString();
  return callProvider(ctx.http, {
    request: {
      method: 'POST',
      url: `${s.apiBaseUrl}/${method}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
    },
    provider: PROVIDER,
    what,
    read(res) {
      const answer = jsonObject(res.body);
      if (!answer) return { kind: 'unreadable', what: 'a body that is not a JSON object' };
      const refusal = refusalOf(answer, what, s);
      return refusal ?? read(answer);
    },
  });
}

function jsonObject(text: string): Answer | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Answer) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The gateway's "no": `success: false`, or an errorCode other than 0. BPC: "If both parameters
 * are present, success overrides errorCode." An errorCode that is not a number cannot be read.
 */
function refusalOf(answer: Answer, what: string, s: ArcaSettings): Reading<never> | undefined {
  const code = readCode(answer.errorCode ?? answer.ErrorCode);
  const success = typeof answer.success === 'boolean' ? answer.success : undefined;
  if (success === true) return undefined;
  if (success === undefined && (code === undefined || code === '0')) return undefined;
  if (code === 'unreadable') return { kind: 'unreadable', what: 'an errorCode that is not a number' };
  const said = providerMessage(answer.errorMessage ?? answer.ErrorMessage, s);
  const errorCode = code ?? 'none';
  return {
    kind: 'refused',
    message: `${PROVIDER} refused the ${what}: error ${errorCode}${said ? ` (${said})` : ''}.`,
    details: { errorCode, ...(said && { errorMessage: said }) },
  };
}

/**
 * The gateway's own message, fit for a log: short, one line, and never with the API password in
 * it, should the gateway ever echo it.
 */
export function providerMessage(v: unknown, s: ArcaSettings): string | undefined {
  if (typeof v !== 'string') return undefined;
  const password = s.password.reveal();
  let text = v.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  if (password.length > 0) text = text.split(password).join('***');
  text = text.slice(0, MESSAGE_MAX);
  return text.length > 0 ? text : undefined;
}
