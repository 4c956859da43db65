/**
 * The TypeScript SDK for infra plugins: providers and policy packs that run out of process and speak
 * `infra-plugin/1` (docs/plugins/protocol.md) with the engine.
 */
export * from "./values.js";
export * from "./protocol.js";
export * from "./errors.js";
export { batchOf, serve, type CallContext, type Handler, type ServeOptions } from "./rpc.js";
export { serveProvider, diffInputs, type Provider, type ProviderInfo } from "./provider.js";
export {
  servePolicyPack, type Policy, type PolicyPack, type ResourcePolicy, type StackPolicy, type ResourcePolicyContext,
  type StackPolicyContext,
} from "./policy.js";
