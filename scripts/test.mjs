// `npm test`: every stage, one command. Prints each stage's counts and a closing summary line.
// Stages: typecheck, lint, static security scan, build, unit+integration+conformance, end-to-end
// (Chromium), Electron end-to-end (only where an Electron binary exists).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { electronBinary } from './electron-binary.mjs';

mkdirSync('test-output', { recursive: true });
const results = [];

function sh(command, args, options = {}) {
  const started = Date.now();
  const run = spawnSync(command, args, { stdio: options.capture ? ['ignore', 'pipe', 'pipe'] : 'inherit', encoding: 'utf8', env: { ...process.env, ...options.env } });
  if (options.capture) {
    process.stdout.write(run.stdout ?? '');
    process.stderr.write(run.stderr ?? '');
  }
  return { code: run.status ?? 1, seconds: ((Date.now() - started) / 1000).toFixed(1), stdout: run.stdout ?? '' };
}

function stage(name, fn) {
  console.log(`\n=== ${name} ===`);
  const outcome = fn();
  results.push({ name, ...outcome });
  console.log(`--- ${name}: ${outcome.ok ? 'ok' : 'FAILED'} (${outcome.summary})`);
}

function vitestCounts(file) {
  if (!existsSync(file)) return { passed: 0, failed: 0, skipped: 0 };
  const report = JSON.parse(readFileSync(file, 'utf8'));
  return { passed: report.numPassedTests, failed: report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0), skipped: report.numPendingTests + report.numTodoTests };
}

stage('typecheck', () => {
  const r = sh('node', ['scripts/typecheck.mjs'], { capture: true });
  const errors = (r.stdout.match(/error TS\d+/g) ?? []).length;
  return { ok: r.code === 0, summary: `${errors} type errors, ${r.seconds}s`, failed: r.code === 0 ? 0 : 1 };
});

stage('lint', () => {
  const r = sh('npx', ['eslint', '.', '--max-warnings', '0'], { capture: true });
  const problems = /(\d+) problems?/.exec(r.stdout)?.[1] ?? '0';
  return { ok: r.code === 0, summary: `${problems} problems, ${r.seconds}s`, failed: r.code === 0 ? 0 : 1 };
});

stage('static security (Electronegativity)', () => {
  const r = sh('node', ['scripts/electronegativity.cjs'], { capture: true });
  const line = /electronegativity: .*/.exec(r.stdout)?.[0] ?? 'did not report';
  return { ok: r.code === 0, summary: line, failed: r.code === 0 ? 0 : 1 };
});

stage('build', () => {
  const r = sh('npm', ['run', '--silent', 'build']);
  const bundles = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html', 'out/cli/rwctl.js'].filter(existsSync);
  return { ok: r.code === 0 && bundles.length === 4, summary: `${bundles.length}/4 bundles written, ${r.seconds}s`, failed: r.code === 0 ? 0 : 1 };
});

stage('unit, integration and conformance (vitest)', () => {
  if (!existsSync('../shared/conformance')) console.warn('NOTE: ../shared/conformance is absent: the conformance suites will say they were skipped.');
  const r = sh('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=test-output/unit.json']);
  const c = vitestCounts('test-output/unit.json');
  return { ok: r.code === 0, summary: `${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped, ${r.seconds}s`, passed: c.passed, failed: c.failed + (r.code === 0 ? 0 : c.failed === 0 ? 1 : 0) };
});

stage('end-to-end (Chromium)', () => {
  if (!existsSync('tests/e2e/vitest.config.ts')) return { ok: false, summary: 'tests/e2e/vitest.config.ts missing', failed: 1 };
  const r = sh('npx', ['vitest', 'run', '-c', 'tests/e2e/vitest.config.ts', '--reporter=default', '--reporter=json', '--outputFile.json=test-output/e2e.json']);
  const c = vitestCounts('test-output/e2e.json');
  return { ok: r.code === 0, summary: `${c.passed} passed, ${c.failed} failed, ${r.seconds}s`, passed: c.passed, failed: c.failed + (r.code === 0 ? 0 : c.failed === 0 ? 1 : 0) };
});

stage('Electron end-to-end', () => {
  if (!electronBinary()) {
    console.log('skipped: no Electron binary (it cannot be downloaded on this machine); the Chromium suite above covered every screen.');
    return { ok: true, summary: 'skipped: no Electron binary', passed: 0, failed: 0 };
  }
  const r = sh('npx', ['vitest', 'run', '-c', 'tests/electron/vitest.config.ts', '--reporter=default', '--reporter=json', '--outputFile.json=test-output/electron.json']);
  const c = vitestCounts('test-output/electron.json');
  return { ok: r.code === 0, summary: `${c.passed} passed, ${c.failed} failed, ${r.seconds}s`, passed: c.passed, failed: c.failed };
});

console.log('\n=== summary ===');
for (const r of results) console.log(`${r.ok ? 'ok    ' : 'FAILED'} ${r.name}: ${r.summary}`);
const passed = results.reduce((n, r) => n + (r.passed ?? 0), 0);
const failed = results.reduce((n, r) => n + (r.failed ?? 0), 0);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = results.every((r) => r.ok) ? 0 : 1;
