/**
 * Property values as the engine's property bags hold them: JSON, plus two markers. On the wire a secret is
 * `{"$secret": X}` and an unknown (a value known only at apply time, in a preview) is `{"$unknown": true}`.
 * In plugin code they are a {@link Secret} and {@link UNKNOWN}, so a secret cannot be logged by accident.
 */
export type PropertyValue =
  | null
  | boolean
  | number
  | string
  | PropertyValue[]
  | PropertyMap
  | Secret
  | Unknown;

/** A value a plugin method returns either directly or as a promise. */
export type Awaitable<T> = T | Promise<T>;

/** A property bag: a resource's inputs or outputs. */
export interface PropertyMap {
  [key: string]: PropertyValue;
}

/** A secret value. Printing it, or serialising it with `JSON.stringify`, shows `[secret]`, never the value. */
export class Secret {
  readonly #value: PropertyValue;

  constructor(value: PropertyValue) {
    this.#value = value;
  }

  /** The plaintext value; keep it out of messages and logs. */
  reveal(): PropertyValue {
    return this.#value;
  }

  toString(): string {
    return "[secret]";
  }

  toJSON(): string {
    return "[secret]";
  }
}

/** The marker of a value not known until apply. */
export class Unknown {
  static readonly instance = new Unknown();

  private constructor() {}

  toString(): string {
    return "[unknown]";
  }

  toJSON(): string {
    return "[unknown]";
  }
}

/** The unknown value. */
export const UNKNOWN: Unknown = Unknown.instance;

/** Wraps a value as a secret. */
export function secret(value: PropertyValue): Secret {
  return value instanceof Secret ? value : new Secret(value);
}

/** True when the value is a secret. */
export function isSecret(value: PropertyValue | undefined): value is Secret {
  return value instanceof Secret;
}

/** True when the value is unknown. */
export function isUnknown(value: PropertyValue | undefined): value is Unknown {
  return value instanceof Unknown;
}

/** The value with a secret wrapper removed (one level). */
export function unwrap(value: PropertyValue): PropertyValue {
  return value instanceof Secret ? value.reveal() : value;
}

/** True when no value at any depth is unknown. */
export function isFullyKnown(value: PropertyValue): boolean {
  if (value instanceof Unknown) return false;
  if (value instanceof Secret) return isFullyKnown(value.reveal());
  if (Array.isArray(value)) return value.every(isFullyKnown);
  if (value !== null && typeof value === "object") return Object.values(value).every(isFullyKnown);
  return true;
}

/** The JSON of the wire. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Reads a wire value: `{"$secret": X}` becomes a {@link Secret}, `{"$unknown": true}` becomes {@link UNKNOWN}. */
export function fromWire(json: Json): PropertyValue {
  if (Array.isArray(json)) return json.map(fromWire);
  if (json !== null && typeof json === "object") {
    const keys = Object.keys(json);
    if (keys.length === 1 && keys[0] === "$unknown") return UNKNOWN;
    if (keys.length === 1 && keys[0] === "$secret") return new Secret(fromWire(json["$secret"] as Json));
    return mapFromWire(json);
  }
  return json;
}

/** Reads a wire property bag. */
export function mapFromWire(json: { [key: string]: Json }): PropertyMap {
  const map: PropertyMap = {};
  for (const [key, item] of Object.entries(json)) map[key] = fromWire(item);
  return map;
}

/** Writes a value for the wire, markers included. */
export function toWire(value: PropertyValue): Json {
  if (value instanceof Unknown) return { $unknown: true };
  if (value instanceof Secret) return { $secret: toWire(value.reveal()) };
  if (Array.isArray(value)) return value.map(toWire);
  if (value !== null && typeof value === "object") return mapToWire(value);
  return value;
}

/** Writes a property bag for the wire. */
export function mapToWire(map: PropertyMap): { [key: string]: Json } {
  const json: { [key: string]: Json } = {};
  for (const [key, item] of Object.entries(map)) json[key] = toWire(item);
  return json;
}

/** Deep equality of two values; secrets compare by value, unknowns equal each other. */
export function valuesEqual(a: PropertyValue | undefined, b: PropertyValue | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  if (a instanceof Secret || b instanceof Secret) {
    return a instanceof Secret && b instanceof Secret && valuesEqual(a.reveal(), b.reveal());
  }
  if (a instanceof Unknown || b instanceof Unknown) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => valuesEqual(item, b[i]));
  }
  if (a !== null && b !== null && typeof a === "object" && typeof b === "object") {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((key) => valuesEqual(a[key], b[key]));
  }
  return false;
}
