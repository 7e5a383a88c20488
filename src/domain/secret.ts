// Node's util.inspect looks up this well-known symbol; using it directly keeps the domain free of I/O modules.
const inspectCustom = Symbol.for('nodejs.util.inspect.custom');

/**
 * A value that must not be printed: it shows as *** in strings, JSON and console output, so a
 * secret that slips into a log line or a response body reveals nothing. `reveal()` is the one
 * way to read it, and is called only where the secret is used (signing, encrypting).
 */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return '***';
  }
  toJSON(): string {
    return '***';
  }
  [inspectCustom](): string {
    return 'Secret(***)';
  }
}
