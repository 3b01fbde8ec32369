/**
 * The choices of "COLO Fail Over": which side goes on, with what each means. Only a side that
 * runs can take over; the secondary comes first (what a failover usually means). No `vscode` here.
 */
import type { ColoRole } from '../../core/colo/pair-record';
import type { ColoPairStatus } from '../../core/colo/pair-status';
import { sideWhere } from './colo-words';

/** One quick-pick entry. */
export interface FailoverChoice {
  readonly survivor: ColoRole;
  readonly label: string;
  readonly description: string;
  readonly detail: string;
}

/** The choices for a pair; empty when no side runs. */
export function failoverChoices(status: ColoPairStatus): FailoverChoice[] {
  const { primary, secondary } = status;
  const secondaryWhere = sideWhere(secondary, primary);
  const choices: FailoverChoice[] = [];
  if (secondary.alive) {
    choices.push({
      survivor: 'secondary',
      label: 'To the secondary',
      description: `the guest moves to ${secondaryWhere}`,
      detail: `The primary QEMU on ${primary.host} is killed first (never two copies on the network); the secondary leaves COLO and runs the guest from its last checkpoint (under QEMU 7.2 TCG: the state of the first COLO migration). SSH goes to the secondary's port; open connections end.`,
    });
  }
  // A primary whose QMP is silent (a hung checkpoint) cannot drop its filters: not offered.
  if (primary.alive && primary.qmp !== 'unresponsive') {
    choices.push({
      survivor: 'primary',
      label: 'To the primary',
      description: `the guest stays on ${primary.host}, unreplicated`,
      detail: `The secondary QEMU on ${secondaryWhere} is killed; the primary drops colo-compare and the filters and goes on alone, without replication. Nothing moves; start the pair again to replicate.`,
    });
  }
  return choices;
}
