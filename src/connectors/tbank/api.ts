// One call to T-Bank's API: a JSON POST to {api_base_url}/{Method} carrying TerminalKey and the
// Token over the request's root-level fields, answered with JSON {Success, ErrorCode, …}.
import type { Result } from '../../domain/result.js';
import type { ConnectorContext } from '../../ports/connector.js';
import type { CallFailure } from '../../ports/provider-failure.js';
import { callProvider, type Reading } from '../kit/provider-call.js';
import type { TBankSettings } from './settings.js';
import { tbankToken } from './wire.js';

const MESSAGE_MAX = 200;

/** T-Bank's answer: the object as parsed, once Success is true and ErrorCode "0". */
export type TBankAnswer = Record<string, unknown>;

const text = (v: unknown) => (typeof v === 'string' ? v.slice(0, MESSAGE_MAX) : '');

export async function callTBank<T>(
  ctx: ConnectorContext,
  s: TBankSettings,
  method: 'Init' | 'GetState' | 'Cancel',
  params: Record<string, string | number>,
  what: string,
  read: (answer: TBankAnswer) => Reading<T>,
): Promise<Result<T, CallFailure>> {
  const fields: Record<string, string | number> = { TerminalKey: s.terminalKey, ...params };
  const token = tbankToken(fields, s.password.reveal());
  if (token === null) throw new Error(`tbank: a ${method} field cannot be signed`); // only integers are sent
  return callProvider(ctx.http, {
    request: {
      method: 'POST',
      url: `${s.apiBaseUrl}/${method}`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...fields, Token: token }),
    },
    provider: 'T-Bank',
    what,
    read(res): Reading<T> {
      let answer: unknown;
      try {
        answer = JSON.parse(res.body);
      } catch {
        return { kind: 'unreadable', what: 'a body that is not JSON' };
      }
      if (typeof answer !== 'object' || answer === null || Array.isArray(answer))
        return { kind: 'unreadable', what: 'a body that is not a JSON object' };
      const a = answer as TBankAnswer;
      if (a.Success === true && a.ErrorCode === '0') return read(a);
      if (a.Success === false && typeof a.ErrorCode === 'string' && a.ErrorCode !== '0') {
        const said = [text(a.Message), text(a.Details)].filter(Boolean).join(': ');
        return {
          kind: 'refused',
          message: `T-Bank refused the ${what}: ${said || 'no message'} (ErrorCode ${text(a.ErrorCode)}).`,
          details: { errorCode: text(a.ErrorCode) },
        };
      }
      return { kind: 'unreadable', what: 'no Success and ErrorCode it documents' };
    },
  });
}
