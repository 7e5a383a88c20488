// A connector's settings, validated once from its JSON schema (Ajv) and then by the connector's
// own checks. Secrets are marked in the schema (`writeOnly: true`), so the list of secret fields
// is derived from it, and they reach the connector wrapped as Secret.
import { Ajv, type ErrorObject } from 'ajv';
import { fail, type Result } from '../../domain/result.js';
import { Secret } from '../../domain/secret.js';
import type { JsonSchema } from '../../ports/connector.js';

interface PropertySchema {
  type?: string;
  minLength?: number;
  maxLength?: number;
  writeOnly?: boolean;
}

export interface SettingsDefinition<S> {
  /** Draft-07; no `format` keywords. Secret fields have `writeOnly: true`. */
  schema: JsonSchema;
  /** Per field, what a value that misses its `pattern` must be ("must not contain spaces."). */
  patternMessages?: Record<string, string>;
  /** The connector's checks beyond the schema, on valid values with secrets wrapped; its messages name the field. */
  build(values: Record<string, unknown>): Result<S>;
}

export interface ConnectorSettings<S> {
  settingsSchema: JsonSchema;
  secretFields: readonly string[];
  /** Validates; secrets may arrive plain or already wrapped (decrypted by the caller). Messages never show a value. */
  parseSettings(input: Record<string, unknown>): Result<S>;
}

const ajv = new Ajv({ useDefaults: true, allErrors: false });

export const settingsInvalid = (field: string, message: string) => fail('settings_invalid', message, { field });

export function defineSettings<S>(def: SettingsDefinition<S>): ConnectorSettings<S> {
  const properties = (def.schema.properties ?? {}) as Record<string, PropertySchema>;
  const required = new Set((def.schema.required ?? []) as string[]);
  const secretFields = Object.keys(properties).filter((k) => properties[k]?.writeOnly === true);
  const validate = ajv.compile(def.schema);

  const problem = (e: ErrorObject): Result<never> => {
    const params = e.params as Record<string, unknown>;
    if (e.keyword === 'additionalProperties') {
      const key = String(params.additionalProperty);
      return settingsInvalid(key, `Unknown setting "${key.slice(0, 64)}".`);
    }
    const field = e.keyword === 'required' ? String(params.missingProperty) : e.instancePath.split('/')[1];
    const p = field === undefined ? undefined : properties[field];
    if (field === undefined || !p) return fail('settings_invalid', 'Settings must be an object.');
    const a = p.type === 'integer' ? 'an integer' : `a ${p.type ?? 'value'}`;
    switch (e.keyword) {
      case 'required':
      case 'type':
        return settingsInvalid(
          field,
          required.has(field) ? `${field} is required and must be ${a}.` : `${field} must be ${a}.`,
        );
      case 'minLength':
      case 'maxLength':
        return settingsInvalid(field, `${field} must be ${lengthRule(p)} characters long.`);
      case 'pattern':
        return settingsInvalid(field, `${field} ${def.patternMessages?.[field] ?? 'is not in the expected format.'}`);
      default:
        return settingsInvalid(field, `${field} is not valid.`);
    }
  };

  function parseSettings(input: Record<string, unknown>): Result<S> {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      return fail('settings_invalid', 'Settings must be an object.');
    }
    // Validated on a copy (defaults are filled in), with secrets as the plain text the schema checks.
    const values: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(input)) values[k] = v instanceof Secret ? v.reveal() : v;
    if (!validate(values)) {
      const first = validate.errors?.[0];
      return first ? problem(first) : fail('settings_invalid', 'The settings are not valid.');
    }
    for (const f of secretFields) if (typeof values[f] === 'string') values[f] = new Secret(values[f]);
    return def.build(values);
  }

  return { settingsSchema: def.schema, secretFields, parseSettings };
}

function lengthRule(p: PropertySchema): string {
  if (p.minLength !== undefined && p.maxLength !== undefined) return `${p.minLength} to ${p.maxLength}`;
  return p.maxLength !== undefined ? `at most ${p.maxLength}` : `at least ${p.minLength ?? 0}`;
}
