// The benchmark's provider in TypeScript's SDK (compiled JS): 'memory:index:Item' objects kept in a map, the same
// work as MemoryProvider.cs in process.
import { serveProvider, diffInputs } from "../../../sdk/typescript/dist/src/index.js";

const items = new Map();
// No `preview: true`: its preview predicts no more than the inputs, which is what the engine predicts for a plugin
// without the "preview" capability, so the preview's creates never reach it (docs/plugins/protocol.md).
await serveProvider({ name: "memory", version: "0.1.0" }, {
  getSchema: () => ({ package: "memory", resources: { "memory:index:Item": {} } }),
  configure: () => undefined,
  check: (r) => ({ inputs: r.newInputs, failures: [] }),
  diff: (r) => diffInputs(r.oldInputs, r.newInputs),
  create: (r) => { const id = r.preview ? "" : r.urn; if (!r.preview) items.set(id, r.inputs); return { id, outputs: r.inputs }; },
  read: (r) => r.id !== null && items.has(r.id) ? { status: "found", id: r.id, inputs: items.get(r.id), outputs: items.get(r.id) } : { status: "notFound", id: null, inputs: {}, outputs: {} },
  update: (r) => { if (!r.preview) items.set(r.id, r.newInputs); return { outputs: r.newInputs }; },
  delete: (r) => { items.delete(r.id); },
});
