/**
 * The run state of a QMP client, after QEMU's `qemu.qmp.protocol.Runstate`:
 *
 * ```
 * idle ──connect()──▶ connecting ──greeting + qmp_capabilities──▶ running
 *  ▲                      │                                         │
 *  │                      └──────── failure / disconnect() ─────────┤
 *  │                                                                ▼
 *  └──────────────── socket closed ◀──────────────────────── disconnecting
 * ```
 *
 * Every public call of the client checks the state first and throws a {@link QmpStateError}
 * when it does not allow the call.
 */
import { QmpStateError } from './errors';

/** The four run states; see the module comment for the transitions. */
export type QmpRunState = 'idle' | 'connecting' | 'running' | 'disconnecting';

/** The run states, for code that wants names rather than string literals. */
export const QmpRunStates = {
  Idle: 'idle',
  Connecting: 'connecting',
  Running: 'running',
  Disconnecting: 'disconnecting',
} as const satisfies Record<string, QmpRunState>;

/**
 * Throws a {@link QmpStateError} unless `state` is one of `allowed`.
 *
 * @param action what the caller tried, for the message, e.g. `execute 'stop'`.
 */
export function requireRunState(state: QmpRunState, allowed: readonly QmpRunState[], action: string): void {
  if (!allowed.includes(state)) throw new QmpStateError(action, state, allowed);
}
