// `npm run lab`: the main job. Builds the lab guest, installs the QEMU the course lab's COLO pair
// needs (both cached after the first time), then `qemu-lab run` of the course-report lab: the
// experiment (host vs guest, KVM vs TCG where KVM is usable, virtio vs e1000, iperf both ways),
// the live migration with benchmarks around it, and the COLO pair — one report, Markdown and HTML,
// with a section per part. Prints where everything is.
import { spawn, spawnSync } from 'node:child_process';
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

/**
 * Runs steps side by side, each line of their output prefixed with the step's tag; exits when one
 * fails. The guest build and the QEMU install wait mostly on Debian's mirror and the disk, not on
 * each other: side by side they take as long as the longer one, which is most of a fresh
 * machine's first run. Nothing is measured while they run.
 */
async function sideBySide(steps) {
  for (const { title, args } of steps) console.log(`\n▶ ${title}\n  qemu-lab ${args.join(' ')}`);
  const results = await Promise.all(
    steps.map(
      ({ tag, args }) =>
        new Promise((resolve) => {
          const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
          for (const [from, to] of [[child.stdout, process.stdout], [child.stderr, process.stderr]]) {
            let pending = '';
            from.setEncoding('utf8');
            from.on('data', (text) => {
              const lines = (pending + text).split(/\r?\n|\r/);
              pending = lines.pop() ?? '';
              for (const line of lines) to.write(`[${tag}] ${line}\n`);
            });
            from.on('end', () => pending !== '' && to.write(`[${tag}] ${pending}\n`));
          }
          child.on('close', (status) => resolve(status));
          child.on('error', () => resolve(127));
        }),
    ),
  );
  results.forEach((status, i) => {
    if (status !== 0) {
      console.error(`✗ ${steps[i].title} failed (exit ${status}).`);
      process.exit(status ?? 1);
    }
  });
}

const started = Date.now();
await sideBySide([
  { tag: 'guest', title: 'Build the built-in lab guest (cached after the first time)', args: ['guest', 'build'] },
  { tag: 'qemu', title: 'Install QEMU 11.1 privately: the lab runs on it, and its COLO pair needs it (cached after the first time)', args: ['-f', lab, 'qemu', 'install', '11.1'] },
]);
console.log(`\nReady after ${((Date.now() - started) / 1000).toFixed(0)} s.`);
const complete = step('Run every part of the course-report lab and write one report', ['-f', lab, 'run', ...process.argv.slice(2)], { partialOk: true });
console.log(`\nDone in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
console.log(`  Report:  ${join(reports, 'lab-report.md')} (charts in ${join(reports, 'charts')})`);
console.log(`  HTML:    ${join(reports, 'lab-report.html')}`);
console.log(`  Results: ${join(import.meta.dirname, '..', 'examples', '.qemu-lab', 'results')} (results.jsonl, migrations.jsonl)`);
process.exitCode = complete ? 0 : 1;
