// What a person does in the workbench, as page operations: open a view container, run a command
// from the palette, read the editor, the Problems view, the notification center, a tree, a
// webview. Selectors are VS Code's own DOM classes (they are stable across releases but not API:
// when one breaks, fix it here, once).
import type { FrameLocator, Locator, Page } from 'playwright-core';

export interface WaitOptions {
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
}

/** Polls `probe` until it returns a value other than undefined; fails with `what` and the last value seen. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, options: WaitOptions = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const detail = lastError instanceof Error ? ` (last error: ${lastError.message.split('\n')[0]})` : '';
      throw new Error(`timed out after ${options.timeoutMs ?? 30_000} ms waiting for ${what}${detail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 200));
  }
}

/** Text as Monaco renders it (non-breaking spaces), as a person reads it. */
export function plain(text: string): string {
  return text.replace(/\u00a0/g, ' ');
}

export class Workbench {
  constructor(readonly page: Page) {}

  /**
   * Waits until the workbench has restored (the smoke-test driver says so) and knows the
   * extension under development: its activity-bar entry is there, so its contributions
   * (commands, views, languages) are registered. The extension need not be active.
   */
  async ready(timeoutMs = 90_000): Promise<void> {
    await this.page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: timeoutMs });
    await this.page.waitForFunction(() => typeof (window as { driver?: unknown }).driver === 'object', undefined, { timeout: timeoutMs });
    await this.page.evaluate(() => (window as unknown as { driver: { whenWorkbenchRestored(): Promise<void> } }).driver.whenWorkbenchRestored());
    await this.activity('QEMU Lab')
      .waitFor({ timeout: timeoutMs })
      .catch(() => {
        throw new Error('the workbench never showed the QEMU Lab activity-bar entry: the extension under development did not load');
      });
  }

  /** An activity-bar entry by its title ("QEMU Lab", "Explorer"). */
  activity(title: string): Locator {
    return this.page.locator(`.part.activitybar .action-item a.action-label[aria-label^="${title}"]`).first();
  }

  /** Shows an activity's side bar; one already shown (a reload restores it) stays shown, not toggled off. */
  async openActivity(title: string): Promise<void> {
    const shown = async () => {
      const heading = this.page.locator('.part.sidebar:visible .composite.title h2').first();
      if ((await heading.count()) === 0) return undefined;
      const text = await heading.innerText();
      return text.toLowerCase().startsWith(title.toLowerCase()) ? text : undefined;
    };
    if ((await shown().catch(() => undefined)) !== undefined) return;
    await this.activity(title).click();
    await waitFor(`the side bar to show ${title}`, shown);
  }

  /** The primary side bar (for screenshots of a view). */
  sideBar(): Locator {
    return this.page.locator('.part.sidebar').first();
  }

  /**
   * The status bar item an extension contributed under `id` (VS Code renders it with the element
   * id "<publisher>.<extension>.<id>"), as its visible text and the element for screenshots.
   */
  statusBarItem(id: string): Locator {
    return this.page.locator(`.part.statusbar .statusbar-item[id$=".${id}"]`).first();
  }

  /** A view pane in the side bar or panel, by its name ("Hosts and VMs"). */
  view(name: string): Locator {
    return this.page
      .locator('.pane')
      .filter({ has: this.page.locator(`.pane-header[aria-label^="${name}"], .pane-header .title:text-is("${name}")`) })
      .first();
  }

  /** Runs a command from the command palette by its full title ("QEMU Lab: New Lab File"). */
  async runCommand(title: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    // A palette still closing from the command before looks open but is inert (seen in CI):
    // typing there fails, so it is closed and opened again until it takes the text.
    await waitFor('the command palette to take the command', async () => {
      if (!(await input.isVisible())) await this.page.keyboard.press('F1');
      try {
        await input.fill(`>${title}`, { timeout: 3_000 });
        return true;
      } catch (error) {
        await this.page.keyboard.press('Escape');
        throw error;
      }
    }, { timeoutMs: 60_000, intervalMs: 500 });
    const row = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({
      has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }),
    });
    await row.first().waitFor({ timeout: 15_000 });
    await row.first().click();
    // The palette closes — or, for a command that asks something (an open dialog, an input box),
    // the same quick-input widget comes back with another prompt. Either means the command ran.
    await waitFor('the command palette to give way', async () => {
      if (!(await input.isVisible())) return true;
      const value = await input.inputValue().catch(() => '');
      return value.startsWith('>') ? undefined : true;
    }, { timeoutMs: 10_000 });
  }

  /** The text of the active editor's visible lines. */
  async editorText(): Promise<string> {
    return plain(await this.page.locator('.editor-group-container.active .monaco-editor .view-lines').first().innerText());
  }

  /** Scrolls the active editor down, as a person would, until its visible text matches. */
  async scrollEditorUntil(pattern: RegExp, maxScrolls = 20): Promise<string> {
    const editor = this.page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
    for (let i = 0; ; i += 1) {
      const text = await this.editorText();
      if (pattern.test(text)) return text;
      if (i >= maxScrolls) throw new Error(`the editor never showed ${pattern} (last visible text:\n${text})`);
      await editor.hover();
      await this.page.mouse.wheel(0, 300);
      await this.page.waitForTimeout(150);
    }
  }

  /** Finds `text` in the active editor (Ctrl+F, Enter), which scrolls it into view. */
  async findInEditor(text: string): Promise<void> {
    await this.page.locator('.editor-group-container.active .monaco-editor').first().click({ position: { x: 200, y: 20 } });
    await this.page.keyboard.press('Control+F');
    const input = this.page.locator('.editor-group-container.active .find-widget textarea').first();
    await input.waitFor({ timeout: 10_000 });
    await input.fill(text);
    await this.page.keyboard.press('Enter');
    await this.page.keyboard.press('Escape');
  }

  /** Opens a workspace file by name through Quick Open (Ctrl+P). */
  async openFile(name: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await this.page.keyboard.press('Control+P');
    await input.waitFor({ timeout: 30_000 });
    await input.fill(name);
    // Quick Open lists the file once VS Code's file search has run: seconds on a quiet machine,
    // more than 15 s beside a second test run (seen in CI). A bound for a hang, not a speed goal.
    await this.page.locator(`.quick-input-widget .quick-input-list .monaco-list-row[aria-label^="${name},"]`).first().click({ timeout: 90_000 });
    await waitFor(`${name} in the active editor`, async () => ((await this.activeTab()) === name ? true : undefined));
  }

  /** The active editor tab's label ("qemu-lab.yaml"). */
  async activeTab(): Promise<string> {
    // The name and its suffix are separate spans ("qemu-lab" ".yaml").
    const label = await this.page
      .locator('.editor-group-container.active .tab.active .monaco-icon-label-container')
      .first()
      .textContent({ timeout: 5_000 });
    return (label ?? '').trim();
  }

  /** Opens the Problems view and returns its rows as text, one string per marker or file row. */
  async problems(): Promise<string[]> {
    const panel = this.page.locator('.markers-panel');
    if (!(await panel.isVisible())) await this.runCommand('View: Focus Problems (Errors, Warnings, Infos)');
    await panel.waitFor({ timeout: 10_000 });
    const rows = panel.locator('.monaco-list-row');
    const texts: string[] = [];
    for (let i = 0; i < (await rows.count()); i += 1) texts.push(plain(await rows.nth(i).innerText()).replace(/\s+/g, ' ').trim());
    return texts;
  }

  /**
   * The notifications, read from the notification center (with the smoke-test driver on, VS Code
   * shows no toasts): severity (from the icon), message, and source ("QEMU Lab" for ours).
   */
  async notificationItems(): Promise<{ severity: 'error' | 'warning' | 'info'; message: string; source: string }[]> {
    const center = this.page.locator('.notifications-center');
    // On a loaded machine the command can be lost (typed before the palette took focus): ask again.
    for (let attempt = 1; !(await center.isVisible()); attempt += 1) {
      await this.runCommand('Notifications: Show Notifications');
      try {
        await center.waitFor({ timeout: 10_000 });
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
    return center.locator('.notification-list-item').evaluateAll((items) =>
      items.map((item) => {
        const icon = item.querySelector('.notification-list-item-icon')?.className ?? '';
        return {
          severity: icon.includes('codicon-error') ? ('error' as const) : icon.includes('codicon-warning') ? ('warning' as const) : ('info' as const),
          message: (item.querySelector('.notification-list-item-message')?.textContent ?? '').trim(),
          source: (item.querySelector('.notification-list-item-source')?.textContent ?? '').trim(),
        };
      }),
    );
  }

  /**
   * Clicks `action` on the notification whose message matches `message`, in the notification
   * center. @returns false when no such notification is there.
   */
  async clickNotificationAction(message: RegExp, action: string): Promise<boolean> {
    if (!(await this.notifications()).some((text) => message.test(text))) return false;
    const item = this.page.locator('.notifications-center .notification-list-item').filter({ hasText: message }).first();
    await item.locator('.monaco-button', { hasText: action }).first().click({ timeout: 15_000 });
    return true;
  }

  /** The notifications' messages. */
  async notifications(): Promise<string[]> {
    return (await this.notificationItems()).map((n) => n.message);
  }

  /** The rows of a tree view: label and description, as shown. */
  async treeItems(view: Locator): Promise<{ label: string; description: string }[]> {
    return view.locator('.monaco-list-row').evaluateAll((rows) =>
      rows.map((row) => ({
        label: (row.querySelector('.monaco-icon-name-container')?.textContent ?? '').trim(),
        description: (row.querySelector('.label-description')?.textContent ?? '').trim(),
      })),
    );
  }

  /** The rows of a tree view as "label description" ("vm1 stopped · tcg · virtio"). */
  async treeRows(view: Locator): Promise<string[]> {
    return (await this.treeItems(view)).map(({ label, description }) => `${label} ${description}`.trim());
  }

  /** The labels (without descriptions) of a tree view's rows. */
  async treeLabels(view: Locator): Promise<string[]> {
    return (await view.locator('.monaco-list-row .monaco-icon-name-container').allTextContents()).map((t) => t.trim());
  }

  /** A tree row whose label is exactly `label`. */
  treeRow(view: Locator, label: string): Locator {
    return view
      .locator('.monaco-list-row')
      .filter({ has: this.page.locator('.monaco-icon-name-container', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }) })
      .first();
  }

  /**
   * In the open Workspace Trust editor ("Workspaces: Manage Workspace Trust"), clicks "Trust" and
   * waits until the editor says the folder is trusted (its "Trust" button gives way).
   */
  async trustWorkspace(): Promise<void> {
    const trust = this.page
      .locator('.workspace-trust-editor .workspace-trust-buttons-row .monaco-button')
      .filter({ hasText: /^Trust\b/ })
      .first();
    await trust.waitFor({ timeout: 15_000 });
    await trust.click();
    await waitFor('the Workspace Trust editor to show the folder trusted', async () => ((await trust.count()) === 0 ? true : undefined), { timeoutMs: 15_000 });
  }

  /**
   * Right-clicks `target` and picks `item` from its context menu. A tree that re-renders under
   * the pointer (a VM's state or a host probe changed) closes a menu just opened, so a menu
   * without `item` is closed and opened again, until a hang bound far above the usual second.
   */
  async contextMenu(target: Locator, item: string, options: { timeoutMs?: number } = {}): Promise<void> {
    const timeoutMs = options.timeoutMs ?? 60_000;
    const deadline = Date.now() + timeoutMs;
    const entry = this.page
      .locator('.context-view .monaco-menu .action-item .action-label', { hasText: new RegExp(`^${escapeRegExp(item)}$`) })
      .first();
    let seen: string[] = [];
    let attempts = 0;
    while (Date.now() < deadline) {
      attempts += 1;
      await this.page.keyboard.press('Escape'); // Closes a menu left open by the attempt before.
      await target.click({ button: 'right' });
      try {
        // The workbench's menus act on mouse-up over a hovered item, or on Enter: hover, then Enter.
        await entry.hover({ timeout: 5_000 });
        await this.page.keyboard.press('Enter');
        return;
      } catch {
        seen = (await this.page.locator('.context-view .monaco-menu .action-item .action-label').allTextContents()).map((t) => t.trim()).filter((t) => t !== '');
      }
    }
    const shown = seen.length === 0 ? 'no menu open' : `the menu offered ${seen.map((t) => `"${t}"`).join(', ')}`;
    throw new Error(`the context menu never offered "${item}" in ${timeoutMs} ms (${attempts} right-clicks; at the last, ${shown})`);
  }

  /** The content of the active webview (webviews are two iframes deep). */
  webview(): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  }
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
