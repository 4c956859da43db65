// A deliberately faulty provider for the engine's fault tests, written against the raw protocol (no SDK, no build).
// Package 'faulty', type 'faulty:index:Thing'. A resource's name chooses its fault: 'crash' exits mid-call, 'hang' never
// answers, 'garbage' writes a line that is not JSON, 'slow' answers after 300 ms, 'crash-after-write' stores the object
// and exits before answering. '--protocol X' claims protocol X. '--batch' announces the batch capability and serves
// 'batch' (then check faults by the inputs' name too: 'crash', 'hang', 'refuse', 'malformed'); 'stats' counts messages.
// '--slow-handshake MS' answers the handshake after MS milliseconds, a plugin slow to start. '--preview' announces the
// preview capability: its preview create and update add the output 'predictedBy: faulty'.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createInterface } from "node:readline";

const protocol = process.argv.includes("--protocol") ? process.argv[process.argv.indexOf("--protocol") + 1] : "infra-plugin/1";
const batching = process.argv.includes("--batch");
const predicting = process.argv.includes("--preview");
const handshakeDelay = process.argv.includes("--slow-handshake") ? Number(process.argv[process.argv.indexOf("--slow-handshake") + 1]) : 0;
const stats = { messages: 0, batches: 0, batchedCalls: 0 };
let objects = new Map();
let stateFile = null;
const save = () => stateFile && writeFileSync(stateFile, JSON.stringify([...objects]));
const send = (message) => process.stdout.write(JSON.stringify({ jsonrpc: "2.0", ...message }) + "\n");
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function handle(method, params) {
  switch (method) {
    case "handshake": await sleep(handshakeDelay); return { name: "faulty", version: "0.0.1", protocol, capabilities: ["provider", ...(batching ? ["batch"] : []), ...(predicting ? ["preview"] : [])] };
    case "stats": return stats;
    case "batch": {
      if (!batching) throw Object.assign(new Error("no method 'batch'"), { code: -32601 });
      stats.batches++;
      stats.batchedCalls += params.calls.length;
      return { results: await Promise.all(params.calls.map((call) => handle(call.method, call.params).then(
        (result) => ({ result: result ?? null }),
        (error) => ({ error: { code: error.code ?? -32603, message: error.message } })))) };
    }
    case "getSchema": return { package: "faulty", resources: { "faulty:index:Thing": {} } };
    case "configure":
      // With 'stateFile' set, objects outlive the process, as a real provider's do.
      stateFile = params.config.stateFile ?? null;
      if (stateFile && existsSync(stateFile)) objects = new Map(JSON.parse(readFileSync(stateFile, "utf8")));
      return null;
    case "environment": return Object.keys(process.env).sort();
    case "pid": return process.pid;
    case "check": {
      const name = batching ? params.newInputs?.name : undefined;
      if (name === "crash") { console.error("boom: crashing on purpose"); process.exit(3); }
      if (name === "hang") return new Promise(() => {});
      if (name === "refuse") throw Object.assign(new Error("refused on purpose"), { code: 1001 });
      if (name === "malformed") return { inputs: "not a property bag", failures: [] };
      return { inputs: params.newInputs, failures: [] };
    }
    case "diff": return { changed: [], replaces: [] };
    case "read": return objects.has(params.id) ? { status: "found", id: params.id, inputs: objects.get(params.id), outputs: objects.get(params.id) } : { status: "notFound", id: null, inputs: {}, outputs: {} };
    case "delete": objects.delete(params.id); save(); return null;
    case "update": return { outputs: params.preview ? { ...params.newInputs, predictedBy: "faulty" } : params.newInputs };
    case "create": {
      const name = params.inputs?.name;
      if (params.preview) return { id: "", outputs: { ...params.inputs, predictedBy: "faulty" } };
      if (name === "crash") { console.error("boom: crashing on purpose"); process.exit(3); }
      if (name === "crash-after-write" && !objects.has(name)) { objects.set(name, params.inputs); save(); process.exit(3); }
      if (name === "hang") return new Promise(() => {});
      if (name === "garbage") { process.stdout.write("this is not json\n"); return new Promise(() => {}); }
      if (name === "slow") await sleep(300);
      if (name === "malformed") return { outputs: "not a property bag" };
      objects.set(name, params.inputs);
      save();
      return { id: name, outputs: params.inputs };
    }
    default: throw Object.assign(new Error(`no method '${method}'`), { code: -32601 });
  }
}

for await (const line of createInterface({ input: process.stdin })) {
  const request = JSON.parse(line);
  if (request.id === undefined) continue;
  stats.messages++;
  handle(request.method, request.params).then(
    (result) => send({ id: request.id, result }),
    (error) => send({ id: request.id, error: { code: error.code ?? -32603, message: error.message } }),
  );
}
