import { html, type Html } from '../../web/html.js';
import type { JsonSchema } from '../../ports/connector.js';
import { field } from '../render.js';
import { checked, selected } from './settings-common.js';

// A payment method's connector settings as form inputs, generated from the connector's JSON
// schema: one input per property with its title, description, length limit and whether it is
// required. Secrets are password inputs that are always empty; the connector's parseSettings is
// what validates (HTML patterns match whole values, unlike JSON schema's, so none is copied).

interface Prop {
  type?: string;
  title?: string;
  description?: string;
  maxLength?: number;
  enum?: unknown[];
  default?: unknown;
}

const props = (schema: JsonSchema): [string, Prop][] =>
  Object.entries((schema.properties ?? {}) as Record<string, Prop>);
const requiredOf = (schema: JsonSchema): string[] =>
  Array.isArray(schema.required) ? (schema.required as string[]) : [];
const inputName = (name: string) => `setting.${name}`;

export interface SchemaForm {
  schema: JsonSchema;
  secretFields: readonly string[];
  /** Editing an existing method: its non-secret settings fill the inputs, secrets stay empty. */
  current?: Record<string, unknown>;
}

export function schemaFields(f: SchemaForm): Html {
  const required = requiredOf(f.schema);
  return html`${props(f.schema).map(([name, p]) => {
    const id = `setting-${name}`;
    const secret = f.secretFields.includes(name);
    const editing = f.current !== undefined;
    const mustFill = required.includes(name) && !(secret && editing);
    const value = secret ? '' : f.current?.[name];
    const help = [
      p.description,
      secret && editing ? 'Leave empty to keep the current value.' : undefined,
      mustFill ? 'Required.' : undefined,
    ]
      .filter(Boolean)
      .join(' ');
    const common = html`id="${id}" name="${inputName(name)}" aria-describedby="${id}-help"
    data-testid="${id}"${mustFill ? html` required` : ''}`;
    let input: Html;
    if (p.type === 'boolean') {
      // A new method starts from the schema's default (YooKassa's capture: on).
      const on = value === true || (value === undefined && p.default === true);
      input = html`<input type="checkbox" ${common} value="on" ${checked(on)} />`;
    } else if (p.type === 'array') {
      // A list of short strings (YooKassa's notification addresses): one text input, comma-separated.
      const list = Array.isArray(value) ? value.map(String).join(', ') : '';
      const placeholder = Array.isArray(p.default) ? p.default.map(String).join(', ') : '';
      input = html`<input type="text" ${common} value="${list}" size="48"${placeholder ? html` placeholder="${placeholder}"` : ''} />`;
    } else if (Array.isArray(p.enum)) {
      input = html`<select ${common}>
        ${mustFill ? '' : html`<option value="">(none)</option>`}${p.enum.map((o) => html`<option value="${String(o)}" ${selected(String(o) === String(value ?? ''))}>${String(o)}</option>`)}
      </select>`;
    } else if (p.type === 'integer' || p.type === 'number') {
      input = html`<input
        type="number"
        ${common}
        value="${value === undefined || value === null ? '' : String(value)}"
        ${p.type === 'integer' ? html` step="1"` : html` step="any"`}
      />`;
    } else if (secret) {
      input = html`<input
        type="password"
        ${common}
        value=""
        autocomplete="new-password"
        ${p.maxLength ? html` maxlength="${p.maxLength}"` : ''}
      />`;
    } else {
      const v = typeof value === 'string' ? value : '';
      const placeholder = typeof p.default === 'string' ? p.default : '';
      input = html`<input
        type="text"
        ${common}
        value="${v}"
        size="48"
        ${p.maxLength ? html` maxlength="${p.maxLength}"` : ''}${placeholder ? html` placeholder="${placeholder}"` : ''}
      />`;
    }
    return html`<label for="${id}">${p.title ?? name}${secret ? html` <small>(secret)</small>` : ''}</label
      >${input}<br /><small id="${id}-help">${help}</small>`;
  })}`;
}

/**
 * The settings as posted. Editing: an empty input removes the setting (the connector refuses a
 * required one), an empty secret keeps the current value (left out). Creating: empty is left out.
 */
export function readSchemaFields(
  f: Omit<SchemaForm, 'current'> & { editing: boolean },
  body: unknown,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, p] of props(f.schema)) {
    const raw = field(body, inputName(name));
    if (p.type === 'boolean') {
      out[name] = raw !== undefined;
      continue;
    }
    if (raw === undefined || raw === '') {
      if (f.editing && !f.secretFields.includes(name)) out[name] = null;
      continue;
    }
    if (p.type === 'array') {
      out[name] = raw.split(/[\s,]+/).filter((v) => v !== '');
      continue;
    }
    out[name] = p.type === 'integer' || p.type === 'number' ? Number(raw) : raw;
  }
  return out;
}
