/**
 * `dns:index:Record`: one record in a zone file, keyed by name and type. Inputs `{ name, type, value, ttl }`
 * (`value` may be secret, e.g. a verification token); outputs add `fqdn`. The ID is `name/type`.
 */
import {
  diffInputs, ErrorCodes, isFullyKnown, isSecret, isUnknown, PluginError, secret, UNKNOWN, unwrap,
  type CheckFailure, type CheckRequest, type CheckResponse, type ConfigureRequest, type CreateRequest,
  type CreateResponse, type DeleteRequest, type DiffRequest, type DiffResponse, type PluginSchema, type PropertyMap,
  type Provider, type ReadRequest, type ReadResponse, type UpdateRequest, type UpdateResponse,
} from "@infra/plugin-sdk";
import { ZoneFile, type ZoneRecord } from "./zone.js";

export const RECORD_TYPE = "dns:index:Record";
const RECORD_TYPES = ["A", "AAAA", "CNAME", "MX", "TXT"];
const NAME = /^(@|[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)*)$/;
const DEFAULT_TTL = 300;

export class DnsProvider implements Provider {
  #zone: ZoneFile | undefined;
  #origin = "example.test.";

  getSchema(): PluginSchema {
    return {
      package: "dns",
      resources: {
        [RECORD_TYPE]: {
          description: "A DNS record in the zone file, keyed by name and type.",
          inputs: {
            type: "object",
            required: ["name", "type", "value"],
            properties: {
              name: { type: "string", description: "The record's name relative to the zone, or @." },
              type: { enum: RECORD_TYPES },
              value: { description: "The record's data; may be secret." },
              ttl: { type: "integer", minimum: 1, default: DEFAULT_TTL },
            },
          },
        },
      },
      config: {
        type: "object",
        required: ["zoneFile"],
        properties: { zoneFile: { type: "string" }, origin: { type: "string" } },
      },
    };
  }

  configure(request: ConfigureRequest): void {
    const file = unwrap(request.config["zoneFile"] ?? null);
    if (typeof file !== "string" || file === "") {
      throw PluginError.invalidParams("config 'dns:zoneFile' is not set; set it to the zone file's path", "config.zoneFile");
    }
    this.#zone = new ZoneFile(file);
    const origin = unwrap(request.config["origin"] ?? null);
    if (typeof origin === "string" && origin !== "") this.#origin = origin.endsWith(".") ? origin : origin + ".";
  }

  check(request: CheckRequest): CheckResponse {
    requireType(request.type);
    const inputs: PropertyMap = { ttl: DEFAULT_TTL, ...request.newInputs };
    const failures: CheckFailure[] = [];
    const name = inputs["name"];
    if (!isUnknown(name) && (typeof name !== "string" || !NAME.test(name))) {
      failures.push({ property: "name", reason: "must be a DNS name relative to the zone (letters, digits, '-', '_', '.'), or '@'" });
    }
    const type = inputs["type"];
    if (!isUnknown(type) && (typeof type !== "string" || !RECORD_TYPES.includes(type))) {
      failures.push({ property: "type", reason: `must be one of ${RECORD_TYPES.join(", ")}` });
    }
    const value = unwrap(inputs["value"] ?? null);
    if (!isUnknown(value) && (typeof value !== "string" || value === "" || /[\r\n]/.test(value))) {
      failures.push({ property: "value", reason: "must be a non-empty string on one line" });
    }
    const ttl = inputs["ttl"];
    if (!isUnknown(ttl) && (typeof ttl !== "number" || !Number.isInteger(ttl) || ttl < 1)) {
      failures.push({ property: "ttl", reason: "must be a whole number of seconds, at least 1" });
    }
    return { inputs, failures };
  }

  diff(request: DiffRequest): DiffResponse {
    // A new name or type is another record; value and ttl change in place.
    return diffInputs(request.oldInputs, request.newInputs, ["name", "type"]);
  }

  async create(request: CreateRequest): Promise<CreateResponse> {
    requireType(request.type);
    if (request.preview) {
      const known = isFullyKnown(request.inputs["name"] ?? null) && isFullyKnown(request.inputs["type"] ?? null);
      return { id: known ? idOf(request.inputs) : "", outputs: this.#outputs(request.inputs) };
    }
    const wanted = recordOf(request.inputs);
    const id = `${wanted.name}/${wanted.type}`;
    await this.#file().update((records) => {
      const existing = records.find((r) => r.name === wanted.name && r.type === wanted.type);
      if (existing === undefined) return { records: [...records, wanted], result: undefined };
      if (existing.value === wanted.value && existing.ttl === wanted.ttl) {
        // An earlier create wrote it and crashed before the engine heard back: adopt it.
        return { records, result: undefined };
      }
      throw PluginError.conflict(`the record ${id} exists with another value or ttl; import it or remove it first`, id);
    });
    return { id, outputs: this.#outputs(request.inputs) };
  }

  async read(request: ReadRequest): Promise<ReadResponse> {
    requireType(request.type);
    const id = request.id ?? (request.inputs !== null && isFullyKnown(request.inputs) ? idOf(request.inputs) : null);
    if (id === null) return { status: "indeterminate", id: null, inputs: {}, outputs: {} };
    const [name, type] = splitId(id);
    const found = (await this.#file().read()).find((r) => r.name === name && r.type === type);
    if (found === undefined) return { status: "notFound", id: null, inputs: {}, outputs: {} };
    const wasSecret = isSecret(request.inputs?.["value"]) || isSecret(request.outputs?.["value"]);
    const inputs: PropertyMap = { name: found.name, type: found.type, value: wasSecret ? secret(found.value) : found.value, ttl: found.ttl };
    return { status: "found", id, inputs, outputs: this.#outputs(inputs) };
  }

  async update(request: UpdateRequest): Promise<UpdateResponse> {
    requireType(request.type);
    if (request.preview) return { outputs: this.#outputs(request.newInputs) };
    const wanted = recordOf(request.newInputs);
    const [name, type] = splitId(request.id);
    await this.#file().update((records) => {
      const index = records.findIndex((r) => r.name === name && r.type === type);
      if (index < 0) throw PluginError.notFound(`no record ${request.id} in the zone file`, request.id);
      return { records: records.map((r, i) => (i === index ? wanted : r)), result: undefined };
    });
    return { outputs: this.#outputs(request.newInputs) };
  }

  async delete(request: DeleteRequest): Promise<void> {
    requireType(request.type);
    const [name, type] = splitId(request.id);
    await this.#file().update((records) => ({ records: records.filter((r) => !(r.name === name && r.type === type)), result: undefined }));
  }

  #outputs(inputs: PropertyMap): PropertyMap {
    const name = inputs["name"] ?? null;
    const fqdn = isUnknown(name) ? UNKNOWN : name === "@" ? this.#origin : `${String(name)}.${this.#origin}`;
    return { ...inputs, fqdn };
  }

  #file(): ZoneFile {
    if (this.#zone === undefined) throw new PluginError(ErrorCodes.notConfigured, "call configure before any resource method");
    return this.#zone;
  }
}

function requireType(type: string): void {
  if (type !== RECORD_TYPE) throw PluginError.invalidParams(`unknown resource type '${type}'; this provider serves ${RECORD_TYPE}`, "type");
}

function recordOf(inputs: PropertyMap): ZoneRecord {
  const value = unwrap(inputs["value"] ?? null);
  return { name: String(inputs["name"]), type: String(inputs["type"]), value: String(value), ttl: Number(inputs["ttl"] ?? DEFAULT_TTL) };
}

function idOf(inputs: PropertyMap): string {
  return `${String(inputs["name"])}/${String(inputs["type"])}`;
}

function splitId(id: string): [string, string] {
  const slash = id.lastIndexOf("/");
  if (slash <= 0) throw PluginError.invalidParams(`'${id}' is not a record ID (name/type)`, "id");
  return [id.slice(0, slash), id.slice(slash + 1)];
}
