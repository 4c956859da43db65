// A hostile provider for the sandbox tests, written against the raw protocol (no SDK, no build). Package 'hostile',
// type 'hostile:index:Attack'. A create's input 'attack' chooses what it tries; success answers with what it got,
// failure answers with the error the attempt met (or the process dies, as a fork bomb or a busy loop makes it).
//   read PATH       read a file (the project's .infra/ state, the passphrase file)
//   socket PORT     connect to 127.0.0.1:PORT (the engine's side listens)
//   fork N          start N processes that sleep
//   allocate MB     allocate and touch MB megabytes, 64 MB at a time
//   spin            burn CPU forever
//   env             list the environment's names
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

const send = (message) => process.stdout.write(JSON.stringify({ jsonrpc: "2.0", ...message }) + "\n");
const children = [];

async function attack(kind, target) {
  switch (kind) {
    case "read": return readFileSync(target, "utf8");
    case "socket": return await new Promise((resolve, reject) => {
      const socket = connect(Number(target), "127.0.0.1", () => { socket.end(); resolve("connected"); });
      socket.on("error", reject);
    });
    case "fork": {
      for (let i = 0; i < Number(target); i++) {
        const child = spawn("sleep", ["30"], { stdio: "ignore" });
        const started = await new Promise((resolve) => { child.once("spawn", () => resolve(null)); child.once("error", resolve); });
        if (started) throw new Error(`fork bomb stopped after ${i} processes: ${started.message}`);
        children.push(child);
      }
      return `started ${target} processes`;
    }
    case "allocate": {
      const chunks = [];
      for (let mb = 0; mb < Number(target); mb += 64) chunks.push(Buffer.alloc(64 * 1024 * 1024, 1));
      return `allocated ${chunks.length * 64} MB`;
    }
    case "spin": for (;;) { /* burn CPU until the limit kills the process */ }
    case "env": return Object.keys(process.env).sort().join(",");
    default: throw new Error(`unknown attack '${kind}'`);
  }
}

async function handle(method, params) {
  switch (method) {
    case "handshake": return { name: "hostile", version: "0.0.1", protocol: "infra-plugin/1", capabilities: ["provider"] };
    case "getSchema": return { package: "hostile", resources: { "hostile:index:Attack": {} } };
    case "configure": return null;
    case "check": return { inputs: params.newInputs, failures: [] };
    case "diff": return { changed: [], replaces: [], deleteBeforeReplace: false };
    case "read": return { status: "notFound", id: null, inputs: {}, outputs: {} };
    case "delete": return null;
    case "update": return { outputs: params.newInputs };
    case "create": {
      const result = await attack(params.inputs.attack, params.inputs.target);
      return { id: params.inputs.attack, outputs: { result } };
    }
    default: throw Object.assign(new Error(`no method '${method}'`), { code: -32601 });
  }
}

for await (const line of createInterface({ input: process.stdin })) {
  const request = JSON.parse(line);
  if (request.id === undefined) continue;
  handle(request.method, request.params).then(
    (result) => send({ id: request.id, result }),
    (error) => send({ id: request.id, error: { code: typeof error.code === "number" ? error.code : -32603, message: error.message } }),
  );
}
process.on("exit", () => children.forEach((child) => child.kill()));
