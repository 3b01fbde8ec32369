/**
 * What one part of a lab run left: how it ended and, for each kind, the references to its stored
 * records (an experiment's run id, a migration's record id) and the facts only the run saw (the
 * guest's MAC and address before and after a migration, a COLO pair's checkpoints and failover).
 */
import type { HeldSessionResult } from './held-session';
import type { ColoCost } from '../colo/cost';
import type { LabPartKind } from './parts';

/** A guest's place on its network, as the guest reports it. */
export interface GuestNetworkIdentity {
  /** Interface → MAC address (`eth0` → `52:54:00:…`), loopback left out. */
  readonly macs: Readonly<Record<string, string>>;
  /** Interface → IPv4 addresses with prefix. */
  readonly addresses: Readonly<Record<string, readonly string[]>>;
}

/** An experiment part: its run in results.jsonl. */
export interface ExperimentPartResult {
  readonly kind: 'experiment';
  readonly runId: string;
  readonly cells: { readonly done: number; readonly skipped: number; readonly failed: number };
}

/** A migration part: its record in migrations.jsonl, and what the run saw of the guest. */
export interface MigrationPartResult {
  readonly kind: 'migration';
  /** The stored attempt's id; undefined when it could not be stored. */
  readonly recordId: string | undefined;
  /** The source QEMU's argv as booted for the part. */
  readonly argv: readonly string[];
  /** The guest's own kernel and CPU model. */
  readonly guest: { readonly kernel?: string; readonly cpu?: string };
  readonly networkBefore: GuestNetworkIdentity | undefined;
  readonly networkAfter: GuestNetworkIdentity | undefined;
  /** An SSH session into the guest opened before the migration, closed after it; undefined for a guest without SSH. */
  readonly heldSession?: HeldSessionResult;
  /** The migration's error when it failed (the attempt is stored all the same). */
  readonly error?: string;
}

/** A COLO part: the pair's figures (no other store holds them). */
export interface ColoPartResult {
  readonly kind: 'colo';
  readonly qemuVersion: string;
  readonly checkpointDelayMs: number;
  /** From `migrate` to the primary reporting COLO. */
  readonly enterColoMs: number | undefined;
  /** What a look at the primary's STOP/RESUME events saw; undefined when none was taken (a long delay). */
  readonly checkpoints: { readonly lookMs: number; readonly count: number; readonly intervalsMs: readonly number[]; readonly pausesMs: readonly number[] } | undefined;
  readonly failover: { readonly survivor: string; readonly durationMs: number } | undefined;
  /** What COLO cost the guest under load (sysbench without and with COLO); absent when not measured. */
  readonly cost?: ColoCost;
  /** Why the cost was not measured, when it was not. */
  readonly costError?: string;
}

export type PartResult = ExperimentPartResult | MigrationPartResult | ColoPartResult;

/** How a part ended: done (its figures stored), skipped (it cannot run here: `reason` says why), failed. */
export type PartStatus = 'done' | 'skipped' | 'failed';

/** One part of one whole run. */
export interface PartOutcome {
  readonly key: string;
  readonly kind: LabPartKind;
  readonly name: string;
  /** Which whole run (1, 2, … with `--runs N`). */
  readonly run: number;
  readonly status: PartStatus;
  /** Why it was skipped or failed, in words a user can act on. */
  readonly reason?: string;
  /** ISO 8601. */
  readonly startedAt: string;
  readonly seconds: number;
  readonly result?: PartResult;
}

/** What a part runner returns: the part's figures, or why it cannot run here. */
export type PartRunnerResult = { readonly status: 'done'; readonly result: PartResult } | { readonly status: 'skipped'; readonly reason: string };
