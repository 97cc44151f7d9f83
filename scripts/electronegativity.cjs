// Runs Electronegativity (Doyensec) over the TypeScript sources of the shell, preload and renderer as
// one application (its global checks need to see them together) and fails on any finding that is not
// justified inline with an `eng-disable` comment. Programmatic API; CommonJS because the tool is.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const run = require('@doyensec/electronegativity/dist/runner.js');

const TARGETS = ['src-main', 'src-preload', 'src-renderer', 'src-shared'];

async function main() {
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'rw-eng-'));
  try {
    for (const target of TARGETS) fs.cpSync(path.resolve(target), path.join(stage, target), { recursive: true });
    const result = await run(
      { input: stage, electronVersionOverride: '45.5.0', isRelative: true, severitySet: 'informational', confidenceSet: 'tentative', parserPlugins: [] },
      false,
    );
    const findings = [...result.issues, ...result.errors.filter((e) => !e.tolerable).map((e) => ({ id: 'PARSE_ERROR', file: e.file, description: e.message, location: { line: 0 } }))];
    for (const f of findings) console.log(`  ${f.id} ${f.file}:${f.location.line} ${f.description}`);
    console.log(`electronegativity: ${result.globalChecks + result.atomicChecks} checks over ${TARGETS.join(', ')}: ${findings.length} finding(s)`);
    process.exitCode = findings.length === 0 ? 0 : 1;
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`electronegativity failed to run: ${error.message}`);
  process.exitCode = 1;
});
