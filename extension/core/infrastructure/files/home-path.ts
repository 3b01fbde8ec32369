import { join } from 'node:path';

/** Whether `path` starts at the user's home as a shell writes it (`~` or `~/…`; never `~user`). */
export function isHomePath(path: string): boolean {
  return path === '~' || path.startsWith('~/');
}

/** `path` with a leading `~` or `~/` read as `home`, the way a shell and ssh read it; any other path as it is. */
export function expandHome(path: string, home: string): string {
  return isHomePath(path) ? join(home, path.slice(1)) : path;
}
