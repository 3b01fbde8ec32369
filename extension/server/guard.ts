/**
 * Every provider runs through {@link guarded}: a bug in one logs its error and answers with an
 * empty result, and the server keeps serving.
 */

/** Where provider errors go (the connection's console in the server). */
export interface ErrorLog {
  error(message: string): void;
}

/** Runs `provide`; on an exception, logs it under `name` and returns `fallback`. */
export function guarded<T>(log: ErrorLog, name: string, fallback: T, provide: () => T): T {
  try {
    return provide();
  } catch (error) {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    try {
      log.error(`qemu-lab ${name} failed: ${detail}`);
    } catch {
      // Logging itself failed (the connection is gone): nothing more to do.
    }
    return fallback;
  }
}
