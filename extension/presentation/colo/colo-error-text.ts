import { describeError, QemuLabError } from '../../core/errors';

/**
 * An error for a notification: its message and its hint on one line (a notification runs lines
 * together anyway, and the hint is what the user acts on).
 */
export function notificationText(error: unknown): string {
  if (error instanceof QemuLabError) return error.hint === undefined ? error.message : `${error.message} ${error.hint}`;
  return describeError(error);
}
