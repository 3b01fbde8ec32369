// `npm run lab`: the main job. Builds the lab guest, boots it once to show it works, runs the
// course-report experiment (host vs guest, KVM vs TCG where KVM is usable, virtio vs e1000),
// and writes a Markdown and an HTML report with charts. Prints where everything is.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const cli = join(import.meta.dirname, '..', 'dist', 'cli.js');
const lab = join(import.meta.dirname, '..', 'examples', 'course-report.qemu-lab.yaml');
const reports = join(import.meta.dirname, '..', 'examples', '.qemu-lab', 'reports');

let problems = 0;
/** Runs one step; a step that may fail in part (a benchmark cell) lets the rest go on. */
function step(title, args, { partialOk = false } = {}) {
  console.log(`\n▶ ${title}\n  qemu-lab ${args.join(' ')}`);
  const result = spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit' });
  if (result.status === 0) return;
  if (partialOk && result.status === 1) {
    console.error(`! ${title}: some cells failed (see above); the report lists them.`);
    problems += 1;
    return;
  }
  console.error(`✗ ${title} failed (exit ${result.status}).`);
  process.exit(result.status ?? 1);
}

const started = Date.now();
step('Build the built-in lab guest (cached after the first time)', ['guest', 'build']);
step('Boot it, show uname -a from inside, power it off', ['-f', lab, 'up', 'vm1', '--exec', 'uname -a', '--down']);
step('Run the course-report experiment', ['-f', lab, 'bench', 'kvm-vs-tcg'], { partialOk: true });
step('Write the Markdown report', ['-f', lab, 'report', 'kvm-vs-tcg', '--format', 'md', '-o', join(reports, 'kvm-vs-tcg.md')]);
step('Write the HTML report', ['-f', lab, 'report', 'kvm-vs-tcg', '--format', 'html', '-o', join(reports, 'kvm-vs-tcg.html')]);
console.log(`\nDone in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
console.log(`  Report:  ${join(reports, 'kvm-vs-tcg.md')} (charts in ${join(reports, 'charts')})`);
console.log(`  HTML:    ${join(reports, 'kvm-vs-tcg.html')}`);
console.log(`  Results: ${join(import.meta.dirname, '..', 'examples', '.qemu-lab', 'results', 'results.jsonl')}`);
process.exitCode = problems === 0 ? 0 : 1;
