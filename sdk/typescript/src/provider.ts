/** Providers: implement {@link Provider} and call {@link serveProvider}. */
import { ErrorCodes, PluginError } from "./errors.js";
import type {
  CheckRequest, CheckResponse, ConfigureRequest, CreateRequest, CreateResponse, DeleteRequest, DiffRequest,
  DiffResponse, PluginSchema, ReadRequest, ReadResponse, UpdateRequest, UpdateResponse,
} from "./protocol.js";
import { batchOf, serve, type CallContext, type Handler, type ServeOptions } from "./rpc.js";
import { valuesEqual, type Awaitable, type PropertyMap, type PropertyValue } from "./values.js";

/**
 * A resource provider: the engine's `IResourceProvider` in TypeScript. Calls arrive concurrently.
 * Create must be idempotent after a crash: when the object exists exactly as declared, adopt it; when it exists
 * but differs, throw {@link PluginError.conflict}. Deleting something already gone succeeds.
 */
export interface Provider {
  /** The package's resource types and config. */
  getSchema(): Awaitable<PluginSchema>;
  /** The stack's config, once per process before any resource call. */
  configure?(request: ConfigureRequest, context: CallContext): Awaitable<void>;
  check(request: CheckRequest, context: CallContext): Awaitable<CheckResponse>;
  diff(request: DiffRequest, context: CallContext): Awaitable<DiffResponse>;
  create(request: CreateRequest, context: CallContext): Awaitable<CreateResponse>;
  read(request: ReadRequest, context: CallContext): Awaitable<ReadResponse>;
  update(request: UpdateRequest, context: CallContext): Awaitable<UpdateResponse>;
  delete(request: DeleteRequest, context: CallContext): Awaitable<void>;
}

/** Who a provider plugin is, and what it opts into. */
export interface ProviderInfo {
  name: string;
  version: string;
  /**
   * True when the provider predicts its outputs at preview: the engine then calls `create` and `update` with
   * `preview: true` (capability "preview"). Omitted or false, it never does: the preview's outputs are the inputs,
   * every other output unknown, as in Pulumi for a provider without `supportsPreview`.
   */
  preview?: boolean;
}

/** Serves `provider` as the plugin `name`@`version` on stdin and stdout until the engine closes stdin. */
export function serveProvider(info: ProviderInfo, provider: Provider, options?: ServeOptions): Promise<void> {
  let configured = false;
  const resource = <T>(call: (params: T, context: CallContext) => unknown) =>
    (params: PropertyValue, context: CallContext): unknown => {
      if (!configured && provider.configure !== undefined) {
        throw new PluginError(ErrorCodes.notConfigured, "call configure before any resource method");
      }
      requireFields(params, ["urn", "type"]);
      return call(params as T, context);
    };
  const resources: { [method: string]: Handler } = {
    check: resource<CheckRequest>((p, c) => provider.check(p, c)),
    diff: resource<DiffRequest>((p, c) => provider.diff(p, c)),
    create: resource<CreateRequest>((p, c) => provider.create(p, c)),
    read: resource<ReadRequest>((p, c) => provider.read(p, c)),
    update: resource<UpdateRequest>((p, c) => provider.update(p, c)),
    delete: resource<DeleteRequest>(async (p, c) => {
      await provider.delete(p, c);
      return null;
    }),
  };
  return serve(
    // "batch": the engine may send several resource calls in one message (docs/plugins/protocol.md).
    { name: info.name, version: info.version, capabilities: info.preview === true ? ["provider", "batch", "preview"] : ["provider", "batch"] },
    {
      getSchema: () => provider.getSchema(),
      configure: async (params, context) => {
        requireFields(params, ["stackName", "config"]);
        await provider.configure?.(params as unknown as ConfigureRequest, context);
        configured = true;
        return null;
      },
      ...resources,
      batch: batchOf(resources, Object.keys(resources)),
    },
    options,
  );
}

/**
 * The common diff: each changed top-level input is a change; those in `replaceOnChange` (all of them when it is
 * omitted) force a replacement.
 */
export function diffInputs(oldInputs: PropertyMap, newInputs: PropertyMap, replaceOnChange?: readonly string[]): DiffResponse {
  const keys = [...new Set([...Object.keys(oldInputs), ...Object.keys(newInputs)])].sort();
  const changed = keys.filter((key) => !valuesEqual(oldInputs[key], newInputs[key]));
  const replaces = changed.filter((key) => replaceOnChange === undefined || replaceOnChange.includes(key));
  return { changed, replaces };
}

function requireFields(params: PropertyValue, fields: readonly string[]): void {
  if (params === null || typeof params !== "object" || Array.isArray(params)) {
    throw PluginError.invalidParams("params must be an object");
  }
  for (const field of fields) {
    if (!(field in params)) throw PluginError.invalidParams(`params lack '${field}'`, field);
  }
}
