// Runs one Cloud Functions activation of a Node.js action for ncplocal.
// argv: <code dir> <entry file> <main function name> <inline|module>
// fd 3: the parameters (a JSON object); fd 4: the outcome (one JSON object).
// The action's own stdout and stderr are its logs.
'use strict';
const fs = require('fs');
const path = require('path');

function emit(outcome) {
  fs.writeSync(4, JSON.stringify(outcome));
  fs.closeSync(4);
}

function describe(e) {
  if (e instanceof Error) return e.stack || String(e);
  return String(e);
}

async function run() {
  const [codeDir, entry, mainName, mode] = process.argv.slice(2);
  const params = JSON.parse(fs.readFileSync(3, 'utf8'));
  let fn;
  try {
    if (mode === 'inline') {
      // Inline code defines `function main(params)` at top level, as on
      // OpenWhisk; it may also use require and module.exports.
      globalThis.require = require;
      globalThis.module = { exports: {} };
      globalThis.exports = globalThis.module.exports;
      process.chdir(codeDir);
      (0, eval)(fs.readFileSync(entry, 'utf8'));
      fn = globalThis[mainName];
      if (typeof fn !== 'function') fn = globalThis.module.exports[mainName];
    } else {
      const mod = require(path.resolve(entry));
      fn = mod && mod[mainName];
      if (typeof fn !== 'function' && mainName === 'main' && typeof mod === 'function') fn = mod;
    }
  } catch (e) {
    emit({ kind: 'init', error: describe(e) });
    return;
  }
  if (typeof fn !== 'function') {
    emit({ kind: 'init', error: `the action exports no function ${JSON.stringify(mainName)}` });
    return;
  }
  let result;
  try {
    result = await fn(params);
  } catch (e) {
    console.error(describe(e));
    const msg = e instanceof Error ? `${e.name}: ${e.message}` : (typeof e === 'object' ? e : String(e));
    emit({ kind: 'exception', error: msg });
    return;
  }
  let text;
  try {
    text = JSON.stringify({ kind: 'result', result: result === undefined ? null : result });
  } catch (e) {
    emit({ kind: 'bad_result', error: `the result is not JSON: ${e.message}` });
    return;
  }
  fs.writeSync(4, text);
  fs.closeSync(4);
}

run().then(() => process.exit(0), (e) => {
  try { emit({ kind: 'init', error: describe(e) }); } catch (_) { /* fd 4 already written */ }
  process.exit(0);
});
