import * as vscode from 'vscode';
import type { WorkView } from '../../presentation/status/status-view';

/** A command's handle on the work it announced. */
export interface WorkHandle {
  /** Where the work stands now, short ("3/8 runs, ETA 2 min"). */
  update(detail: string): void;
  /** The work ended (done, failed or cancelled): it leaves the status bar. Idempotent. */
  end(): void;
}

/** What a command announces when long work starts. */
export interface WorkStart {
  readonly kind: WorkView['kind'];
  readonly subject: string;
  /** Brings the work's own view to the front (its panel). */
  readonly reveal: () => void;
}

/**
 * The long work the editor's commands run now (experiments, migrations, COLO pairs coming up),
 * for the status bar and "Show What Runs". A command announces its work when it starts and ends
 * it in a `finally`; the board fires a change each time, nothing polls.
 */
export class WorkInProgress implements vscode.Disposable {
  private readonly items = new Map<number, { view: WorkView; reveal: () => void }>();
  private readonly changed = new vscode.EventEmitter<void>();
  private nextId = 1;

  readonly onDidChange = this.changed.event;

  /** Announces work; end the handle when it is over. */
  begin(start: WorkStart): WorkHandle {
    const id = this.nextId++;
    this.items.set(id, { view: { id, kind: start.kind, subject: start.subject, detail: '' }, reveal: start.reveal });
    this.changed.fire();
    return {
      update: (detail) => {
        const item = this.items.get(id);
        if (item === undefined || item.view.detail === detail) return;
        item.view = { ...item.view, detail };
        this.changed.fire();
      },
      end: () => {
        if (this.items.delete(id)) this.changed.fire();
      },
    };
  }

  /** The work in progress, oldest first. */
  list(): WorkView[] {
    return [...this.items.values()].map((item) => item.view);
  }

  /** Brings one piece of work's view to the front; false when it ended meanwhile. */
  reveal(id: number): boolean {
    const item = this.items.get(id);
    item?.reveal();
    return item !== undefined;
  }

  dispose(): void {
    this.items.clear();
    this.changed.dispose();
  }
}
