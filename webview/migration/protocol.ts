/**
 * The messages between the live migration panel (extension host) and its webview, one
 * discriminated union per direction, imported by both sides; the envelope is shared
 * (webview/shared/protocol.ts).
 */
import { objectOf, oneOf } from '../shared/guards';
import { isLogMessage, isReadyMessage, messageCheck, type LogMessage, type PanelProtocol, type ReadyMessage } from '../shared/protocol';
import { isMigrationViewModel, type MigrationViewModel } from './model';

/** Extension → migration panel. */
export type ToMigrationWebview =
  /** Draw this model (replaces what is shown; sent again as the migration goes on). */
  { readonly type: 'migration'; readonly model: MigrationViewModel };

/** Migration panel → extension. */
export type FromMigrationWebview =
  | ReadyMessage
  /** The panel's Cancel: `migrate_cancel` and a rollback, as the notification's Cancel. */
  | { readonly type: 'cancelMigration' }
  | LogMessage;

/** Whether a value is a well-formed {@link ToMigrationWebview} message. */
export const isToMigrationWebview = messageCheck<ToMigrationWebview>({
  migration: objectOf({ type: oneOf('migration'), model: isMigrationViewModel }),
});

/** Whether a value is a well-formed {@link FromMigrationWebview} message. */
export const isFromMigrationWebview = messageCheck<FromMigrationWebview>({
  ready: isReadyMessage,
  cancelMigration: objectOf({ type: oneOf('cancelMigration') }),
  log: isLogMessage,
});

/** The migration panel's protocol, for its two endpoints. */
export const MIGRATION_PROTOCOL: PanelProtocol<ToMigrationWebview, FromMigrationWebview> = { isToWebview: isToMigrationWebview, isFromWebview: isFromMigrationWebview };
