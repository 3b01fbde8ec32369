/** Prints one figure as an aligned line. (Statistics come from extension/core/measuring/workloads/stats.ts.) */
export function report(name: string, value: string): void {
  console.log(`${name.padEnd(44)} ${value}`);
}
