import assert from "node:assert/strict";
import { PassThrough, Writable } from "node:stream";
import { test } from "node:test";
import { ErrorCodes, PluginError, serve, serveProvider, diffInputs, fromWire, isSecret, secret, toWire, UNKNOWN, type Provider } from "../src/index.js";
import { Wire } from "./harness.js";

test("the handshake answers the plugin's identity and refuses another protocol in one error", async () => {
  const wire = new Wire();
  const served = serve({ name: "t", version: "1.2.3", capabilities: ["provider"] }, {}, wire.options);
  const ok = await wire.call("handshake", { protocol: "infra-plugin/1", engineVersion: "1" });
  assert.deepEqual(ok.result, { name: "t", version: "1.2.3", capabilities: ["provider"], protocol: "infra-plugin/1" });
  const refused = await wire.call("handshake", { protocol: "infra-plugin/2", engineVersion: "1" });
  assert.equal(refused.error.code, ErrorCodes.protocolMismatch);
  assert.deepEqual(refused.error.data, { supported: ["infra-plugin/1"] });
  wire.close();
  await served;
});

test("calls run concurrently: a slow call does not hold up a fast one", async () => {
  const wire = new Wire();
  const order: string[] = [];
  const served = serve({ name: "t", version: "1", capabilities: [] }, {
    slow: async () => { await new Promise((r) => setTimeout(r, 200)); order.push("slow"); return 1; },
    fast: () => { order.push("fast"); return 2; },
  }, wire.options);
  const [slow, fast] = await Promise.all([wire.call("slow"), wire.call("fast")]);
  assert.deepEqual([slow.result, fast.result], [1, 2]);
  assert.deepEqual(order, ["fast", "slow"]);
  wire.close();
  await served;
});

test("cancelRequest aborts the signal of the call it names", async () => {
  const wire = new Wire();
  const served = serve({ name: "t", version: "1", capabilities: [] }, {
    hang: (_params, context) => new Promise((_resolve, reject) => context.signal.addEventListener("abort", () => reject(new Error("cancelled")))),
  }, wire.options);
  const answer = wire.send(JSON.stringify({ jsonrpc: "2.0", id: 7, method: "hang" }), 7);
  wire.input.write(JSON.stringify({ jsonrpc: "2.0", method: "$/cancelRequest", params: { id: 7 } }) + "\n");
  assert.equal((await answer).error.code, ErrorCodes.internal);
  wire.close();
  await served;
});

test("errors keep their code and data; other exceptions are internal; garbage is a parse error", async () => {
  const wire = new Wire();
  const served = serve({ name: "t", version: "1", capabilities: [] }, {
    conflict: () => { throw PluginError.conflict("exists", "a/A"); },
    bug: () => { throw new TypeError("oops"); },
  }, wire.options);
  const conflict = await wire.call("conflict");
  assert.deepEqual(conflict.error, { code: 1001, message: "exists", data: { id: "a/A" } });
  const bug = await wire.call("bug");
  assert.equal(bug.error.code, ErrorCodes.internal);
  assert.match(bug.error.message, /TypeError: oops/);
  assert.equal((await wire.call("missing")).error.code, ErrorCodes.methodNotFound);
  assert.equal((await wire.send("{not json", null)).error.code, ErrorCodes.parseError);
  wire.close();
  await served;
});

test("secrets and unknowns cross the wire as markers and stay typed in between", () => {
  const value = fromWire({ a: { $secret: "s3" }, b: { $unknown: true }, c: [1, { $secret: { d: true } }] });
  assert.ok(typeof value === "object" && value !== null && !Array.isArray(value));
  assert.ok(isSecret((value as any).a));
  assert.equal((value as any).b, UNKNOWN);
  assert.equal(JSON.stringify(secret("hidden")), '"[secret]"');
  assert.equal(String(secret("hidden")), "[secret]");
  assert.deepEqual(toWire(value), { a: { $secret: "s3" }, b: { $unknown: true }, c: [1, { $secret: { d: true } }] });
});

test("a provider refuses resource calls before configure, and diffInputs names changed and replacing keys", async () => {
  const wire = new Wire();
  const provider: Provider = {
    getSchema: () => ({ package: "p", resources: {} }),
    configure: () => undefined,
    check: (r) => ({ inputs: r.newInputs, failures: [] }),
    diff: (r) => diffInputs(r.oldInputs, r.newInputs, ["name"]),
    create: () => ({ id: "x", outputs: {} }),
    read: () => ({ status: "notFound", id: null, inputs: {}, outputs: {} }),
    update: (r) => ({ outputs: r.newInputs }),
    delete: () => undefined,
  };
  const served = serveProvider({ name: "p", version: "1" }, provider, wire.options);
  const early = await wire.call("check", { urn: "u", type: "p:index:T", oldInputs: null, newInputs: {} });
  assert.equal(early.error.code, ErrorCodes.notConfigured);
  await wire.call("configure", { stackName: "dev", projectName: "p", projectDirectory: "/", config: {}, isPreview: false });
  const diff = await wire.call("diff", { urn: "u", type: "p:index:T", id: "x", oldInputs: { name: "a", size: 1 }, oldOutputs: {}, newInputs: { name: "b", size: 2 } });
  assert.deepEqual(diff.result, { changed: ["name", "size"], replaces: ["name"] });
  const invalid = await wire.call("create", { type: "p:index:T" });
  assert.deepEqual(invalid.error.data, { property: "urn" });
  wire.close();
  await served;
});

test("a batch answers each call on its own, in order: a failing call fails alone, and only resource methods ride in one", async () => {
  const wire = new Wire();
  const provider: Provider = {
    getSchema: () => ({ package: "t", resources: {} }),
    check: (r) => ({ inputs: r.newInputs, failures: [] }),
    diff: (r) => diffInputs(r.oldInputs, r.newInputs),
    create: () => { throw PluginError.conflict("exists", "a/A"); },
    read: () => ({ status: "notFound", id: null, inputs: {}, outputs: {} }),
    update: (r) => ({ outputs: r.newInputs }),
    delete: () => undefined,
  };
  const served = serveProvider({ name: "t", version: "1" }, provider, wire.options);
  const handshake = await wire.call("handshake", { protocol: "infra-plugin/1", engineVersion: "1" });
  assert.deepEqual(handshake.result.capabilities, ["provider", "batch"]);
  await wire.call("configure", { stackName: "s", projectName: "p", projectDirectory: "/", config: {}, isPreview: true });
  const urn = "urn:pulumi:s::p::t:index:T::a";
  const answer = await wire.call("batch", { calls: [
    { method: "check", params: { urn, type: "t:index:T", oldInputs: null, newInputs: { token: { $secret: "s" } } } },
    { method: "create", params: { urn, type: "t:index:T", inputs: {}, timeout: null, preview: false } },
    { method: "delete", params: { urn, type: "t:index:T", id: "a", inputs: {}, outputs: {}, timeout: null } },
    { method: "configure", params: {} },
  ] });
  assert.deepEqual(answer.result.results, [
    { result: { inputs: { token: { $secret: "s" } }, failures: [] } },
    { error: { code: 1001, message: "exists", data: { id: "a/A" } } },
    { result: null },
    { error: { code: ErrorCodes.methodNotFound, message: "a batch cannot carry 'configure'" } },
  ]);
  wire.close();
  await served;
});

test("a provider announces the preview capability only when its author opts in", async () => {
  const provider: Provider = {
    getSchema: () => ({ package: "t", resources: {} }),
    check: (r) => ({ inputs: r.newInputs, failures: [] }),
    diff: (r) => diffInputs(r.oldInputs, r.newInputs),
    create: (r) => ({ id: "", outputs: r.inputs }),
    read: () => ({ status: "notFound", id: null, inputs: {}, outputs: {} }),
    update: (r) => ({ outputs: r.newInputs }),
    delete: () => undefined,
  };
  for (const [preview, capabilities] of [[undefined, ["provider", "batch"]], [false, ["provider", "batch"]], [true, ["provider", "batch", "preview"]]] as const) {
    const wire = new Wire();
    const served = serveProvider({ name: "t", version: "1", preview }, provider, wire.options);
    const handshake = await wire.call("handshake", { protocol: "infra-plugin/1", engineVersion: "1" });
    assert.deepEqual(handshake.result.capabilities, capabilities);
    wire.close();
    await served;
  }
});

test("answers completed in one turn leave in one write, and a slow call's answer follows on its own", async () => {
  const input = new PassThrough();
  const writes: string[] = [];
  const output = new Writable({ write(chunk, _encoding, done) { writes.push(String(chunk)); done(); } });
  const served = serve({ name: "t", version: "1", capabilities: [] }, {
    fast: (params) => params,
    slow: async () => { await new Promise((r) => setTimeout(r, 100)); return "late"; },
  }, { input, output });
  input.write([1, 2, 3].map((id) => JSON.stringify({ jsonrpc: "2.0", id, method: "fast", params: id }) + "\n").join("")
    + JSON.stringify({ jsonrpc: "2.0", id: 4, method: "slow" }) + "\n");
  input.end();
  await served;
  assert.deepEqual(writes.map((chunk) => chunk.trimEnd().split("\n").map((line) => JSON.parse(line).id)), [[1, 2, 3], [4]]);
});
