import * as vscode from 'vscode';

/** Reports progress in a notification: a message, and how much of 100 got done since the last report. */
export type ProgressReporter = vscode.Progress<{ message?: string; increment?: number }>;

/**
 * Runs `work` under a cancellable progress notification titled `title`: the notification's
 * Cancel aborts `cancel` (pass one to abort it from elsewhere too, e.g. a panel's button), whose
 * signal `work` gets to hand to core. The cancellation listener is disposed when `work` ends.
 */
export function withCancellableProgress<T>(title: string, work: (progress: ProgressReporter, signal: AbortSignal) => Promise<T>, cancel: AbortController = new AbortController()): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const subscription = token.onCancellationRequested(() => cancel.abort());
    try {
      return await work(progress, cancel.signal);
    } finally {
      subscription.dispose();
    }
  });
}
