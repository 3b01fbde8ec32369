/**
 * The COLO panel's "What COLO costs the guest": the latest COLO part of `qemu-lab run` for the
 * VM that measured a cost, from the lab run's record (`.qemu-lab/reports/lab-run.json`, read and
 * checked by core/lab-run/state.ts), worded for the panel. Pure (no `vscode`).
 */
import { hostTimeFigure, pausedShareUnderLoad } from '../../../core/colo/cost';
import type { ColoPartResult } from '../../../core/lab-run/outcome';
import { partKey } from '../../../core/lab-run/parts';
import type { LabRunState } from '../../../core/lab-run/state';
import { baselineWords, ratioWords } from '../../../core/lab-run/report-colo-cost';
import type { ColoCostView, ColoFact } from '../../../../webview/colo/model';

const range = (values: readonly number[]): string => (values.length === 0 ? '–' : `${Math.min(...values)}–${Math.max(...values)} ms`);

function lookWords(look: { readonly lookMs: number; readonly count: number; readonly intervalsMs: readonly number[]; readonly pausesMs: readonly number[] } | undefined): string {
  if (look === undefined) return 'not watched';
  return `${look.count} seen in ${(look.lookMs / 1000).toFixed(1)} s; every ${range(look.intervalsMs)}; guest paused ${range(look.pausesMs)} each`;
}

/** The cost view of VM `vmName` from the lab run's record; undefined when no run measured one. */
export function coloCostView(state: LabRunState, vmName: string): ColoCostView | undefined {
  const outcomes = state.parts[partKey('colo', vmName)] ?? [];
  const latest = outcomes
    .flatMap((o) => (o.status === 'done' && o.result?.kind === 'colo' && o.result.cost !== undefined ? [{ startedAt: o.startedAt, result: o.result as ColoPartResult & { cost: NonNullable<ColoPartResult['cost']> } }] : []))
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt))
    .pop();
  if (latest === undefined) return undefined;
  const { cost } = latest.result;
  const share = pausedShareUnderLoad(cost.underLoad);
  const checkpoints: ColoFact[] = [
    { name: 'Idle', value: lookWords(latest.result.checkpoints) },
    { name: 'Under load', value: lookWords(cost.underLoad) },
  ];
  return {
    source: `Measured by qemu-lab run (started ${latest.startedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}) on QEMU ${latest.result.qemuVersion}, checkpoint delay ${latest.result.checkpointDelayMs} ms: sysbench in the guest, ${cost.seconds} s each; without COLO is ${baselineWords(cost)}. The guest's clock stands still in a checkpoint's pause, so sysbench's figure leaves the pauses out${share === undefined ? '' : `; host time takes off the ${(share * 100).toFixed(0)} % the guest stood still under load`}.`,
    bars: cost.figures.map((f) => {
      const host = share === undefined ? undefined : hostTimeFigure(f.with, share);
      return { benchmark: f.benchmark, unit: f.unit, without: f.without, with: f.with, ratio: ratioWords(f.ratio), ...(host === undefined || f.without === 0 ? {} : { withHostTime: host, hostRatio: ratioWords(host / f.without) }) };
    }),
    checkpoints,
  };
}
