import * as vscode from 'vscode';
import { commandTable } from './commands/command-table';
import { startLanguageClient } from './language-client';

/**
 * The composition root: builds what the extension needs and registers it. Every disposable is
 * pushed to `context.subscriptions`, so deactivation leaves nothing registered.
 */
export function activate(context: vscode.ExtensionContext): void {
  const commandContext = { extension: context };
  for (const [id, factory] of Object.entries(commandTable)) {
    context.subscriptions.push(vscode.commands.registerCommand(id, factory(commandContext)));
  }
  context.subscriptions.push(startLanguageClient(context));
}

/** Nothing to do: everything is owned by `context.subscriptions`. */
export function deactivate(): void {}
