import { TextDocumentSyncKind, TextDocuments, type Connection } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Debouncer } from './debouncer';
import { diagnosticsForDocument } from './diagnostics-provider';

/** Milliseconds of quiet typing before a lab document is validated again. */
const VALIDATE_DELAY_MS = 200;

/**
 * Wires the lab-file providers to a connection. Takes the connection from outside, so tests run
 * the server over in-memory streams with no editor.
 */
export function startLabServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const debouncer = new Debouncer<string>(VALIDATE_DELAY_MS);

  const validate = (document: TextDocument): void => {
    void connection.sendDiagnostics({
      uri: document.uri,
      version: document.version,
      diagnostics: diagnosticsForDocument(document.uri, document.getText()),
    });
  };

  connection.onInitialize(() => ({
    capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental },
    serverInfo: { name: 'qemu-lab-language-server' },
  }));
  // Opening a file shows its problems at once; typing waits for a pause.
  documents.onDidOpen((event) => validate(event.document));
  documents.onDidChangeContent((event) => debouncer.schedule(event.document.uri, () => validate(event.document)));
  documents.onDidClose((event) => {
    debouncer.cancel(event.document.uri);
    void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
  });
  connection.onShutdown(() => debouncer.dispose());

  documents.listen(connection);
  connection.listen();
}
