// An ExtensionContext the test owns, for calling the extension's exported activate() the way VS
// Code does, so the test can then do what VS Code does at deactivation: call deactivate(), then
// dispose context.subscriptions. Storage lives in a fresh temp folder. A property activate() reads
// that is not provided here fails loudly, naming itself.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';

class MemoryMemento implements vscode.Memento {
  private readonly values = new Map<string, unknown>();
  keys(): readonly string[] {
    return [...this.values.keys()];
  }
  get<T>(key: string, defaultValue?: T): T | undefined {
    return this.values.has(key) ? (this.values.get(key) as T) : defaultValue;
  }
  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, value);
  }
  setKeysForSync(): void {}
}

export interface OwnedContext {
  readonly context: vscode.ExtensionContext;
  readonly subscriptions: { dispose(): unknown }[];
}

export function ownedExtensionContext(extension: vscode.Extension<unknown>): OwnedContext {
  const root = mkdtempSync(join(tmpdir(), 'qemu-lab-context-'));
  const subscriptions: { dispose(): unknown }[] = [];
  const secrets = new Map<string, string>();
  const provided: Record<string, unknown> = {
    subscriptions,
    extension,
    extensionUri: extension.extensionUri,
    extensionPath: extension.extensionPath,
    extensionMode: vscode.ExtensionMode.Test,
    asAbsolutePath: (relative: string) => join(extension.extensionPath, relative),
    storageUri: vscode.Uri.file(join(root, 'workspace-storage')),
    storagePath: join(root, 'workspace-storage'),
    globalStorageUri: vscode.Uri.file(join(root, 'global-storage')),
    globalStoragePath: join(root, 'global-storage'),
    logUri: vscode.Uri.file(join(root, 'log')),
    logPath: join(root, 'log'),
    workspaceState: new MemoryMemento(),
    globalState: new MemoryMemento(),
    secrets: {
      get: async (key: string) => secrets.get(key),
      store: async (key: string, value: string) => void secrets.set(key, value),
      delete: async (key: string) => void secrets.delete(key),
      keys: async () => [...secrets.keys()],
      onDidChange: new vscode.EventEmitter<vscode.SecretStorageChangeEvent>().event,
    },
  };
  const context = new Proxy(provided, {
    get(target, property) {
      if (typeof property === 'symbol' || property === 'then' || property in target) return target[property as string];
      throw new Error(`activate() read context.${property}, which test/e2e/exthost/extension-context.ts does not provide yet: add it there`);
    },
  }) as unknown as vscode.ExtensionContext;
  return { context, subscriptions };
}
