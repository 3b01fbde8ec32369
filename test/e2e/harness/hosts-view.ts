import type { Locator } from 'playwright-core';
import { waitFor, type Workbench } from './workbench';

/**
 * Waits until the "Hosts and VMs" tree has settled: `vmName` is shown `state`, and no host row is
 * still "probing…". The probe's answer refreshes the whole tree, and a tree that refreshes
 * between a right-click and the pick hands the command a stale row (VS Code then passes no
 * argument, and Boot asks "Boot which VM?"); acting on a settled tree is what a person does.
 */
export async function settledVmRow(workbench: Workbench, view: Locator, vmName: string, state: string, timeoutMs = 30_000): Promise<string> {
  return waitFor(`${vmName} ${state}, and no host still probing`, async () => {
    const rows = await workbench.treeRows(view);
    if (rows.some((r) => r.includes('probing…'))) return undefined;
    return rows.find((r) => new RegExp(`^${vmName} ${state}\\b`).test(r));
  }, { timeoutMs });
}
