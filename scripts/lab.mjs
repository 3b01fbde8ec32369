// `npm run lab`: the main job. Builds the lab guest, installs the QEMU the course lab's COLO pair
// needs (both cached after the first time), then `qemu-lab run` of the course-report lab: the
// experiment (host vs guest, KVM vs TCG where KVM is usable, virtio vs e1000, iperf both ways),
// the live migration with benchmarks around it, and the COLO pair — one report, Markdown and HTML,
// with a section per part. Prints where everything is.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const cli = join(import.meta.dirname, '..', 'dist', 'cli.js');
const lab = join(import.meta.dirname, '..', 'examples', 'course-report.qemu-lab.yaml');
const reports = join(import.meta.dirname, '..', 'examples', '.qemu-lab', 'reports');

/** Runs one step; `partialOk`: exit 1 means some part failed (the report says which), the rest is there. */
function step(title, args, { partialOk = false } = {}) {
  console.log(`\n▶ ${title}\n  qemu-lab ${args.join(' ')}`);
  const result = spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit' });
  if (result.status === 0) return true;
  if (partialOk && result.status === 1) {
    console.error(`! ${title}: some parts failed (see above); the report says which and why.`);
    return false;
  }
  console.error(`✗ ${title} failed (exit ${result.status}).`);
  process.exit(result.status ?? 1);
}

const started = Date.now();
step('Build the built-in lab guest (cached after the first time)', ['guest', 'build']);
step('Install QEMU 11.1 privately for the COLO pair (cached after the first time)', ['-f', lab, 'qemu', 'install', '11.1']);
const complete = step('Run every part of the course-report lab and write one report', ['-f', lab, 'run', ...process.argv.slice(2)], { partialOk: true });
console.log(`\nDone in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
console.log(`  Report:  ${join(reports, 'lab-report.md')} (charts in ${join(reports, 'charts')})`);
console.log(`  HTML:    ${join(reports, 'lab-report.html')}`);
console.log(`  Results: ${join(import.meta.dirname, '..', 'examples', '.qemu-lab', 'results')} (results.jsonl, migrations.jsonl)`);
process.exitCode = complete ? 0 : 1;
