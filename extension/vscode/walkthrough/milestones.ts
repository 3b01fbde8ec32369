import * as vscode from 'vscode';

/** What the "Get started with QEMU Lab" walkthrough checks off, one context key each (package.json `walkthroughs`). */
export const MILESTONE_KEYS = {
  qemuFound: 'qemuLab.walkthrough.qemuFound',
  labFileFound: 'qemuLab.walkthrough.labFileFound',
  vmRan: 'qemuLab.walkthrough.vmRan',
  experimentRan: 'qemuLab.walkthrough.experimentRan',
} as const;

/** One of the milestones. */
export type Milestone = keyof typeof MILESTONE_KEYS;

/**
 * The walkthrough's steps check themselves off from what happened, not from a button pressed:
 * QEMU answered the local probe, the workspace has a lab file, a VM ran, an experiment measured
 * something. Each is a context key set once per window (VS Code remembers a step once checked).
 */
export class Milestones {
  private readonly reached = new Set<Milestone>();

  /** Marks a milestone reached; idempotent. */
  reach(milestone: Milestone): void {
    if (this.reached.has(milestone)) return;
    this.reached.add(milestone);
    void vscode.commands.executeCommand('setContext', MILESTONE_KEYS[milestone], true);
  }
}
