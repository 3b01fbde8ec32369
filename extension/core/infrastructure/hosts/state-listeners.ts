import type { HostState, HostSubscription } from './host';

/** A set of state listeners whose exceptions are ignored. */
export class StateListeners {
  private readonly listeners = new Set<(state: HostState) => void>();

  add(listener: (state: HostState) => void): HostSubscription {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  emit(state: HostState): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(state);
      } catch {
        // A listener's exception must not break the transport.
      }
    }
  }
}
