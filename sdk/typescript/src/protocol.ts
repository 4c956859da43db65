/**
 * The messages of `infra-plugin/1`, as in docs/plugins/protocol.md. Each mirrors a record of the engine's
 * in-process contract (`IResourceProvider`, `ProviderMessages.cs`, the policy SDK); property bags hold
 * {@link Secret}s and {@link UNKNOWN}s instead of the wire's markers.
 */
import type { PropertyMap, PropertyValue } from "./values.js";

/** The protocol this SDK speaks. */
export const PROTOCOL_VERSION = "infra-plugin/1";

/** Result of `handshake`. */
export interface PluginInfo {
  name: string;
  version: string;
  protocol: string;
  capabilities: string[];
}

/** One call inside `batch` (capability "batch"): a resource method and its params, as the method alone would take them. */
export interface BatchCall {
  method: string;
  params: PropertyValue;
}

/** Params of `batch`. */
export interface BatchRequest {
  calls: BatchCall[];
}

/** One answer of a `batch`: the call's result, or its error object; the other calls are not affected. */
export type BatchItem = { result: unknown } | { error: { code: number; message: string; data?: unknown } };

/** Result of `batch`: one entry per call, in the calls' order. */
export interface BatchResponse {
  results: BatchItem[];
}

/** Params of `configure`. */
export interface ConfigureRequest {
  stackName: string;
  projectName: string;
  projectDirectory: string;
  /** The stack's config in the provider's namespace, without the prefix. */
  config: PropertyMap;
  isPreview: boolean;
}

/** One resource type a provider serves, in `getSchema`. */
export interface ResourceTypeSchema {
  description?: string;
  /** A JSON Schema (draft 2020-12) of the inputs. */
  inputs?: object;
  /** A JSON Schema of the outputs. */
  outputs?: object;
}

/** Result of `getSchema`. */
export interface PluginSchema {
  package: string;
  resources: { [type: string]: ResourceTypeSchema };
  /** A JSON Schema of the provider's config namespace. */
  config?: object;
}

export interface CheckRequest {
  urn: string;
  type: string;
  oldInputs: PropertyMap | null;
  newInputs: PropertyMap;
}

export interface CheckFailure {
  property: string;
  reason: string;
}

export interface CheckResponse {
  inputs: PropertyMap;
  failures: CheckFailure[];
}

export interface DiffRequest {
  urn: string;
  type: string;
  id: string;
  oldInputs: PropertyMap;
  oldOutputs: PropertyMap;
  newInputs: PropertyMap;
}

export interface DiffResponse {
  changed: string[];
  replaces: string[];
  deleteBeforeReplace?: boolean;
}

export interface CreateRequest {
  urn: string;
  type: string;
  inputs: PropertyMap;
  /** The resource's create timeout in seconds, if any. */
  timeout: number | null;
  preview: boolean;
}

export interface CreateResponse {
  id: string;
  outputs: PropertyMap;
}

export interface ReadRequest {
  urn: string;
  type: string;
  id: string | null;
  inputs: PropertyMap | null;
  outputs: PropertyMap | null;
}

export type ReadStatus = "found" | "notFound" | "indeterminate";

export interface ReadResponse {
  status: ReadStatus;
  id: string | null;
  inputs: PropertyMap;
  outputs: PropertyMap;
}

export interface UpdateRequest {
  urn: string;
  type: string;
  id: string;
  oldInputs: PropertyMap;
  oldOutputs: PropertyMap;
  newInputs: PropertyMap;
  timeout: number | null;
  preview: boolean;
}

export interface UpdateResponse {
  outputs: PropertyMap;
}

export interface DeleteRequest {
  urn: string;
  type: string;
  id: string;
  inputs: PropertyMap;
  outputs: PropertyMap;
  timeout: number | null;
}

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";

export type PolicyConfigType = "boolean" | "integer" | "number" | "string" | "stringList";

/** One setting of a policy or pack. */
export interface PolicyConfigProperty {
  key: string;
  type: PolicyConfigType;
  description: string;
  default?: PropertyValue;
  required?: boolean;
  minimum?: number;
  allowedValues?: string[];
}

/** Which resources a resource policy looks at; none means all. A type ending in `*` matches by prefix. */
export interface PolicySelector {
  types?: string[];
  kubernetesKinds?: string[];
}

/** A resource as policies see it. */
export interface PolicyResource {
  urn: string;
  type: string;
  parent?: string | null;
  custom: boolean;
  inputs: PropertyMap;
  protect: boolean;
  dependencies: string[];
}

/** The resource's name: the last part of its URN. */
export function nameOf(resource: { urn: string }): string {
  const at = resource.urn.lastIndexOf("::");
  return at < 0 ? resource.urn : resource.urn.slice(at + 2);
}
