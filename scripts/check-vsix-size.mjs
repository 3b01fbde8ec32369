// The .vsix must stay small: fail the package step when it grows past 2 MB.
import { statSync } from 'node:fs';

const file = process.argv[2];
const limit = 2 * 1024 * 1024;
const size = statSync(file).size;
console.log(`${file}: ${(size / 1024).toFixed(0)} KiB (limit ${limit / 1024} KiB)`);
if (size > limit) {
  console.error(`${file} is larger than 2 MB: check .vscodeignore, something unneeded is packaged.`);
  process.exit(1);
}
