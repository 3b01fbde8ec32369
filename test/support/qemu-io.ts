import { execFileSync } from 'node:child_process';

/** Whether the qcow2 `path` holds the byte `pattern` over `length` bytes at `offset`, as qemu-io reads it (its backing chain included). */
export function qcow2Holds(path: string, pattern: number, offset: number, length: number): boolean {
  try {
    execFileSync('qemu-io', ['-f', 'qcow2', '-c', `read -P ${pattern} ${offset} ${length}`, path], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}
