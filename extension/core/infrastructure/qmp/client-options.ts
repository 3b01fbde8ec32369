/** The options of a QMP client, of its connect calls and of one command, with their defaults. */
import type { QmpError } from './errors';
import type { QmpTraceDirection } from './protocol';
import type { QmpRunState } from './run-state';

/** Default time a command may take before its call fails with a `QmpTimeoutError`. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 30_000;
/** Default time for opening the socket, the greeting and capabilities negotiation together. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** Longest UNIX socket path Linux accepts (sun_path is 108 bytes with the terminating NUL). */
export const MAX_UNIX_SOCKET_PATH_BYTES = 107;

/** Options of a `QmpClient`. */
export interface QmpClientOptions {
  /** A name for messages, e.g. the VM's name. */
  readonly name?: string;
  /** Per-command timeout unless a call gives its own. Default {@link DEFAULT_COMMAND_TIMEOUT_MS}. */
  readonly defaultTimeoutMs?: number;
  /** Timeout of connect()/connectStream(). Default {@link DEFAULT_CONNECT_TIMEOUT_MS}. */
  readonly connectTimeoutMs?: number;
  /** Longest message accepted, in bytes. Default 16 MiB (see `framer.ts`). */
  readonly maxMessageBytes?: number;
  /**
   * Sees every line sent and received (without its line terminator), e.g. to log QMP traffic
   * at trace level. Exceptions it throws are ignored.
   */
  readonly onTrace?: (direction: QmpTraceDirection, line: string) => void;
  /** Called on every run-state change. Exceptions it throws are ignored. */
  readonly onStateChange?: (state: QmpRunState) => void;
  /**
   * Called when an established connection has ended (the client is idle again), with the
   * error that ended it, or undefined for a clean close (disconnect() or QEMU closing the
   * socket). Not called when connect() fails: that rejects instead. Exceptions it throws are ignored.
   */
  readonly onDisconnect?: (error: QmpError | undefined) => void;
}

/** Options of one `QmpClient.execute` call. */
export interface QmpExecuteOptions {
  /** Overrides the client's default timeout; `Infinity` = no timeout. */
  readonly timeoutMs?: number;
  /** Abort waiting for the reply (QEMU may still run the command; its reply is dropped). */
  readonly signal?: AbortSignal;
}

/** Options of `QmpClient.connect` and `QmpClient.connectStream`. */
export interface QmpConnectOptions {
  /** Overrides the client's connect timeout. */
  readonly timeoutMs?: number;
}
