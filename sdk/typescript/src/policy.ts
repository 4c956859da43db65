/** Policy packs: declare a {@link PolicyPack} and call {@link servePolicyPack}. */
import { PluginError } from "./errors.js";
import type { EnforcementLevel, PolicyConfigProperty, PolicyResource, PolicySelector } from "./protocol.js";
import { serve, type CallContext, type ServeOptions } from "./rpc.js";
import type { Awaitable, PropertyMap, PropertyValue } from "./values.js";

/** What a resource policy sees, and where it reports problems. */
export interface ResourcePolicyContext {
  stack: string;
  resource: PolicyResource;
  /** The resource's inputs (secrets marked; unknowns possible in a preview: skip what cannot be decided yet). */
  inputs: PropertyMap;
  /** This policy's settings for the stack, defaults filled in. */
  config: PropertyMap;
  /** The pack's settings for the stack. */
  packConfig: PropertyMap;
  /** Reports one problem: what is wrong and how to fix it. Never include a secret value. */
  report(message: string): void;
  signal: AbortSignal;
}

/** What a stack policy sees, and where it reports problems. */
export interface StackPolicyContext {
  stack: string;
  /** Every resource of the stack, inputs as remediated, in declaration order. */
  resources: PolicyResource[];
  config: PropertyMap;
  packConfig: PropertyMap;
  /** Reports one problem, naming the resource at fault when there is one. */
  report(message: string, resource?: PolicyResource): void;
  signal: AbortSignal;
}

interface PolicyBase {
  /** Lower-case letters, digits and `-`, unique in the pack. */
  name: string;
  description: string;
  /** The level unless the stack says otherwise; `advisory` by default. */
  defaultLevel?: EnforcementLevel;
  config?: PolicyConfigProperty[];
}

/** Checks one resource at a time; with `remediate`, it can also fix what it finds. */
export interface ResourcePolicy extends PolicyBase {
  kind: "resource";
  /** Which resources it looks at; every resource when omitted. */
  selector?: PolicySelector;
  validate(context: ResourcePolicyContext): Awaitable<void>;
  /** Returns the inputs rewritten to comply (the same inputs when they comply already). */
  remediate?(context: ResourcePolicyContext): Awaitable<PropertyMap>;
}

/** Checks every resource of the stack at once. */
export interface StackPolicy extends PolicyBase {
  kind: "stack";
  validate(context: StackPolicyContext): Awaitable<void>;
}

export type Policy = ResourcePolicy | StackPolicy;

/** A named, versioned set of policies. */
export interface PolicyPack {
  name: string;
  version: string;
  description?: string;
  /** Settings shared by every policy of the pack. */
  config?: PolicyConfigProperty[];
  policies: Policy[];
}

interface ResourceParams {
  policy: string;
  stack: string;
  resource: PolicyResource;
  config: PropertyMap;
  packConfig: PropertyMap;
}

interface StackParams {
  policy: string;
  stack: string;
  resources: PolicyResource[];
  config: PropertyMap;
  packConfig: PropertyMap;
}

/** Serves `pack` on stdin and stdout until the engine closes stdin. */
export function servePolicyPack(pack: PolicyPack, options?: ServeOptions): Promise<void> {
  const find = <K extends Policy["kind"]>(name: unknown, kind: K): Extract<Policy, { kind: K }> => {
    const policy = pack.policies.find((p) => p.name === name);
    if (policy === undefined || policy.kind !== kind) {
      throw PluginError.invalidParams(`pack '${pack.name}' has no ${kind} policy '${String(name)}'`, "policy");
    }
    return policy as Extract<Policy, { kind: K }>;
  };
  const resourceContext = (params: ResourceParams, reports: string[], call: CallContext): ResourcePolicyContext => ({
    stack: params.stack,
    resource: params.resource,
    inputs: params.resource.inputs,
    config: params.config,
    packConfig: params.packConfig,
    report: (message) => reports.push(message),
    signal: call.signal,
  });
  return serve(
    { name: pack.name, version: pack.version, capabilities: ["policy"] },
    {
      describe: () => ({
        name: pack.name,
        version: pack.version,
        description: pack.description ?? "",
        config: pack.config ?? [],
        policies: pack.policies.map((policy) => ({
          name: policy.name,
          description: policy.description,
          kind: policy.kind,
          defaultLevel: policy.defaultLevel ?? "advisory",
          canRemediate: policy.kind === "resource" && policy.remediate !== undefined,
          selector: policy.kind === "resource" ? (policy.selector ?? null) : null,
          config: policy.config ?? [],
        })),
      }),
      validateResource: async (params: PropertyValue, call) => {
        const p = params as unknown as ResourceParams;
        const reports: string[] = [];
        await find(p.policy, "resource").validate(resourceContext(p, reports, call));
        return { violations: reports };
      },
      remediate: async (params: PropertyValue, call) => {
        const p = params as unknown as ResourceParams;
        const policy = find(p.policy, "resource");
        if (policy.remediate === undefined) {
          throw PluginError.invalidParams(`policy '${policy.name}' cannot remediate`, "policy");
        }
        return { inputs: await policy.remediate(resourceContext(p, [], call)) };
      },
      validateStack: async (params: PropertyValue, call) => {
        const p = params as unknown as StackParams;
        const violations: { message: string; urn?: string }[] = [];
        await find(p.policy, "stack").validate({
          stack: p.stack,
          resources: p.resources,
          config: p.config,
          packConfig: p.packConfig,
          report: (message, resource) => violations.push(resource === undefined ? { message } : { message, urn: resource.urn }),
          signal: call.signal,
        });
        return { violations };
      },
    },
    options,
  );
}
