/**
 * What the COLO status panel shows, as plain JSON: built in the extension host
 * (extension/presentation/panels/colo/view-model.ts) from a reading of the pair, sent to the webview,
 * drawn there. Every text for people is worded on the extension side.
 */
import { arrayOf, isBoolean, isNumber, isString, objectOf, oneOf, optional, type Check } from '../shared/guards';

/** One QEMU of the pair, worded. */
export interface ColoSideView {
  readonly role: 'primary' | 'secondary';
  /** `local`, `lab-b (second QEMU)`. */
  readonly host: string;
  /** `4242`, or `—` when it does not run. */
  readonly pid: string;
  /** QEMU's run state (`running`, `colo`, `inmigrate`…), `not running`, or `QMP does not answer`. */
  readonly runState: string;
  /** `primary (last: none)`. */
  readonly mode: string;
  /** `colo`, `completed`, or `—`. */
  readonly migration: string;
  /** `4 ms`, `no answer within 3 s`, `—`. */
  readonly qmp: string;
  /** `ssh 127.0.0.1:2222`, or `—`. */
  readonly ssh: string;
  /** `alive`: runs and answers; `silent`: runs, QMP silent; `gone`: not running. */
  readonly health: 'alive' | 'silent' | 'gone';
}

/** A fact of the pair: `Checkpoints` → `at least every 600 s; …`. */
export interface ColoFact {
  readonly name: string;
  readonly value: string;
}

/** One benchmark of COLO's cost: the guest's throughput without and with COLO. */
export interface ColoCostBar {
  /** `sysbench-cpu`. */
  readonly benchmark: string;
  /** `events/s`. */
  readonly unit: string;
  readonly without: number;
  readonly with: number;
  /** `0.62× (−38 %)`. */
  readonly ratio: string;
  /** With COLO in host time (the pauses under load taken off: the guest's clock does not see them); absent without a look. */
  readonly withHostTime?: number;
  readonly hostRatio?: string;
}

/** The latest measured cost of COLO for this VM (a `qemu-lab run`'s COLO part), worded. */
export interface ColoCostView {
  /** `Measured by qemu-lab run at 2026-… on QEMU 11.1.3: sysbench 10 s each; without COLO: …`. */
  readonly source: string;
  readonly bars: readonly ColoCostBar[];
  /** `Idle` / `Under load` → `3 seen in 4.5 s; every 2003–2008 ms; paused 295–392 ms`. */
  readonly checkpoints: readonly ColoFact[];
}

/** Everything the panel shows. */
export interface ColoViewModel {
  /** The VM's lab file and name: the panel is found again by them after a window reload. */
  readonly labPath: string;
  readonly vmName: string;
  /** `vm1`. */
  readonly title: string;
  /** The pair's verdict, or `none` (no pair), `busy` (a COLO command runs), `unreadable`. */
  readonly state: 'none' | 'busy' | 'unreadable' | 'replicating' | 'hung' | 'primary-lost' | 'secondary-lost' | 'failed-over' | 'stopped';
  /** `Replicating: primary on local, secondary on lab-b.` */
  readonly headline: string;
  /** What to do about it, when something is to be done. */
  readonly advice?: string;
  readonly sides: readonly ColoSideView[];
  readonly facts: readonly ColoFact[];
  /** `to the secondary on lab-b at … (on command; took 120 ms)`, or absent when there was none. */
  readonly lastFailover?: string;
  /** `Read 2026-… (QMP bound 3 s).` */
  readonly readAt: string;
  /** Whether "Fail Over" makes sense now (some side runs and the pair has not failed over yet). */
  readonly canFailOver: boolean;
  /** What COLO cost this VM's guest when last measured; absent when it never was. */
  readonly cost?: ColoCostView;
}

const STATES = ['none', 'busy', 'unreadable', 'replicating', 'hung', 'primary-lost', 'secondary-lost', 'failed-over', 'stopped'] as const;

const isSide: Check<ColoSideView> = objectOf({
  role: oneOf('primary', 'secondary'),
  host: isString,
  pid: isString,
  runState: isString,
  mode: isString,
  migration: isString,
  qmp: isString,
  ssh: isString,
  health: oneOf('alive', 'silent', 'gone'),
});

const isFact: Check<ColoFact> = objectOf({ name: isString, value: isString });

const isCostBar: Check<ColoCostBar> = objectOf({ benchmark: isString, unit: isString, without: isNumber, with: isNumber, ratio: isString, withHostTime: optional(isNumber), hostRatio: optional(isString) });

/** Whether a value is a well-formed {@link ColoCostView}. */
export const isColoCostView: Check<ColoCostView> = objectOf({ source: isString, bars: arrayOf(isCostBar), checkpoints: arrayOf(isFact) });

/** Whether a value is a well-formed {@link ColoViewModel}. */
export const isColoViewModel: Check<ColoViewModel> = objectOf({
  labPath: isString,
  vmName: isString,
  title: isString,
  state: oneOf(...STATES),
  headline: isString,
  advice: optional(isString),
  sides: arrayOf(isSide),
  facts: arrayOf(isFact),
  lastFailover: optional(isString),
  readAt: isString,
  canFailOver: isBoolean,
  cost: optional(isColoCostView),
});
