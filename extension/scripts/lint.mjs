// `web-ext lint` (Mozilla's addons-linter) with every error and warning fatal, except the
// warnings that one tree for Chromium and Firefox brings by design (each explained below).
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const EXPECTED = {
  // Chromium reads background.service_worker, Firefox background.scripts: both are needed.
  BACKGROUND_SERVICE_WORKER_IGNORED: 'manifest.json',
  // Firefox 128 to 139 ignore data_collection_permissions; addons.mozilla.org requires it.
  KEY_FIREFOX_UNSUPPORTED_BY_MIN_VERSION: 'manifest.json',
  KEY_FIREFOX_ANDROID_UNSUPPORTED_BY_MIN_VERSION: 'manifest.json',
};

let output;
try {
  output = execFileSync(join(root, 'node_modules/.bin/web-ext'), ['lint', '--source-dir', root, '--self-hosted', '--output', 'json'], { cwd: root, encoding: 'utf8' });
} catch (error) {
  output = error.stdout; // web-ext exits non-zero when it found errors; the JSON says which
}
const report = JSON.parse(output.slice(output.indexOf('{')));
const problems = [
  ...report.errors,
  ...report.warnings.filter((w) => EXPECTED[w.code] !== w.file),
  ...report.notices,
];
for (const p of problems) console.error(`${p._type} ${p.code} ${p.file ?? ''}: ${p.message}`);
console.log(`web-ext lint: ${report.summary.errors} errors, ${report.summary.warnings} warnings (${report.warnings.length - problems.filter((p) => p._type === 'warning').length} expected), ${report.summary.notices} notices`);
process.exit(problems.length ? 1 : 0);
