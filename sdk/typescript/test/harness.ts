import { PassThrough } from "node:stream";
import { createInterface } from "node:readline";
import type { ServeOptions } from "../src/rpc.js";

/** Drives a served plugin through in-memory pipes, as the engine does through stdin and stdout. */
export class Wire {
  readonly input = new PassThrough();
  readonly output = new PassThrough();
  readonly #waiting = new Map<unknown, (message: any) => void>();
  #next = 1;

  constructor() {
    const lines = createInterface({ input: this.output });
    lines.on("line", (line) => {
      const message = JSON.parse(line);
      this.#waiting.get(message.id)?.(message);
    });
  }

  get options(): ServeOptions {
    return { input: this.input, output: this.output };
  }

  call(method: string, params?: unknown): Promise<any> {
    const id = this.#next++;
    return this.send(JSON.stringify({ jsonrpc: "2.0", id, method, params }), id);
  }

  send(line: string, id: unknown): Promise<any> {
    const answer = new Promise<any>((resolve) => this.#waiting.set(id, resolve));
    this.input.write(line + "\n");
    return answer;
  }

  close(): void {
    this.input.end();
  }
}
