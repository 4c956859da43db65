// Runs a plugin and records every protocol line in both directions, one JSON object per line in the log file:
// {"process": pid, "from": "engine" | "plugin", "line": "..."}. Used as a launcher in tests to capture real messages.
import { spawn } from "node:child_process";
import { appendFileSync } from "node:fs";
import { createInterface } from "node:readline";

const [log, program, ...args] = process.argv.slice(2);
const child = spawn(program, args, { stdio: ["pipe", "pipe", "inherit"] });
const record = (from, line) => appendFileSync(log, JSON.stringify({ process: process.pid, from, line }) + "\n");
createInterface({ input: process.stdin }).on("line", (line) => { record("engine", line); child.stdin.write(line + "\n"); }).on("close", () => child.stdin.end());
createInterface({ input: child.stdout }).on("line", (line) => { record("plugin", line); process.stdout.write(line + "\n"); });
child.on("exit", (code) => process.exit(code ?? 1));
