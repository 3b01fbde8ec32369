import {
  CodeActionKind,
  TextDocumentSyncKind,
  TextDocuments,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { codeActionsFor } from './code-action-provider';
import { codeLenses } from './code-lens-provider';
import { completionsAt } from './completion-provider';
import { Debouncer } from './debouncer';
import { labDiagnostics } from './diagnostics-provider';
import { ConditionalHostGate } from '../core/infrastructure/hosts/host-gate';
import { guarded } from './guard';
import { HostKnowledge, type HostProber } from './host-knowledge';
import { hoverAt } from './hover-provider';
import { LabAnalyses } from './lab-analyses';
import { definitionAt, referencesAt } from './navigation-provider';
import { REFRESH_HOSTS_METHOD, WORKSPACE_TRUSTED_METHOD, type LabServerOptions, type RefreshHostsParams, type RefreshHostsResult } from './protocol';
import { documentSymbols } from './symbols-provider';

/** Milliseconds of quiet typing before a lab document is validated again. */
const VALIDATE_DELAY_MS = 200;
/** The most hosts one refresh request may name. */
const MAX_REFRESH_HOSTS = 32;

/** What the server needs from outside; tests pass fakes. */
export interface LabServerDependencies {
  /** Probes a host's capabilities. Without it hosts are never probed, and never checked. */
  readonly probeHost?: HostProber;
  /** Milliseconds of quiet typing before re-validating (default 200). */
  readonly validateDelayMs?: number;
}

/**
 * Wires the lab-file providers to a connection; the providers themselves are pure functions of
 * a document's analysis. Takes the connection from outside, so tests run the server over
 * in-memory streams with no editor.
 */
export function startLabServer(connection: Connection, dependencies: LabServerDependencies = {}): void {
  const documents = new TextDocuments(TextDocument);
  const analyses = new LabAnalyses();
  const debouncer = new Debouncer<string>(dependencies.validateDelayMs ?? VALIDATE_DELAY_MS);
  const log = connection.console;
  let lensCommands: ReadonlySet<string> = new Set();
  // Until the editor says the workspace is trusted (at start, or later with WORKSPACE_TRUSTED_METHOD),
  // the server checks lab files as text only: probing a host runs QEMU.
  let trusted = false;
  const gate = new ConditionalHostGate(() => trusted, {
    reason: 'the workspace is not trusted (Restricted Mode)',
    hint: 'Trust the workspace to check lab files against what this machine\'s QEMU and KVM can do.',
  });

  const validate = (document: TextDocument): void => {
    const diagnostics = guarded(log, 'diagnostics', [], () => labDiagnostics(analyses.of(document), hosts.capabilities, log));
    void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics }).catch(() => undefined);
  };
  const hosts = new HostKnowledge(
    dependencies.probeHost,
    gate,
    () => documents.all().forEach(validate),
    (message) => log.warn(message),
  );
  /** Runs `provide` on the analysis of an open document (the fallback for an unknown one). */
  const withAnalysis = <T>(uri: string, name: string, fallback: T, provide: (analysis: ReturnType<LabAnalyses['of']>) => T): T => {
    const document = documents.get(uri);
    return document === undefined ? fallback : guarded(log, name, fallback, () => provide(analyses.of(document)));
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const options = readOptions(params.initializationOptions);
    lensCommands = new Set(options.commands ?? []);
    trusted = options.probeHosts !== false;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: [' ', '[', ','] },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        documentSymbolProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        codeLensProvider: { resolveProvider: false },
      },
      serverInfo: { name: 'qemu-lab-language-server' },
    };
  });
  connection.onInitialized(() => {
    // In the background: documents get their diagnostics now, and host checks when the probe is in.
    if (gate.isOpen && dependencies.probeHost !== undefined) void hosts.refresh();
  });
  connection.onNotification(WORKSPACE_TRUSTED_METHOD, () => {
    if (trusted) return;
    trusted = true;
    if (dependencies.probeHost !== undefined) void hosts.refresh();
  });

  connection.onCompletion((params) => withAnalysis(params.textDocument.uri, 'completion', [], (a) => completionsAt(a, params.position, hosts.capabilities)));
  connection.onHover((params) => withAnalysis(params.textDocument.uri, 'hover', null, (a) => hoverAt(a, params.position, hosts.capabilities)));
  connection.onDefinition((params) => withAnalysis(params.textDocument.uri, 'definition', null, (a) => definitionAt(a, params.textDocument.uri, params.position)));
  connection.onReferences((params) =>
    withAnalysis(params.textDocument.uri, 'references', [], (a) => referencesAt(a, params.textDocument.uri, params.position, params.context.includeDeclaration)),
  );
  connection.onDocumentSymbol((params) => withAnalysis(params.textDocument.uri, 'document symbols', [], (a) => documentSymbols(a)));
  connection.onCodeAction((params) =>
    withAnalysis(params.textDocument.uri, 'code actions', [], (a) => codeActionsFor(a, params.textDocument.uri, params.context.diagnostics)),
  );
  connection.onCodeLens((params) => withAnalysis(params.textDocument.uri, 'code lenses', [], (a) => codeLenses(a, lensCommands)));

  connection.onRequest(REFRESH_HOSTS_METHOD, async (params: unknown): Promise<RefreshHostsResult> => ({ hosts: await hosts.refresh(hostsToProbe(params)) }));
  connection.onNotification(REFRESH_HOSTS_METHOD, (params: unknown) => void hosts.refresh(hostsToProbe(params)));

  // Opening a file shows its problems at once; typing waits for a pause.
  documents.onDidOpen((event) => validate(event.document));
  documents.onDidChangeContent((event) => debouncer.schedule(event.document.uri, () => validate(event.document)));
  documents.onDidClose((event) => {
    debouncer.cancel(event.document.uri);
    analyses.forget(event.document.uri);
    void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] }).catch(() => undefined);
  });
  connection.onShutdown(() => debouncer.dispose());

  documents.listen(connection);
  connection.listen();
}

/** The initialization options, keeping only well-formed fields. */
function readOptions(raw: unknown): LabServerOptions {
  if (typeof raw !== 'object' || raw === null) return {};
  const { commands, probeHosts } = raw as Record<string, unknown>;
  return {
    ...(Array.isArray(commands) ? { commands: commands.filter((c): c is string => typeof c === 'string') } : {}),
    ...(typeof probeHosts === 'boolean' ? { probeHosts } : {}),
  };
}

/** The hosts a refresh names (`local` when none). */
function hostsToProbe(params: unknown): string[] {
  const hosts = (params as RefreshHostsParams | null | undefined)?.hosts;
  if (!Array.isArray(hosts)) return ['local'];
  const names = hosts.filter((host): host is string => typeof host === 'string' && host !== '').slice(0, MAX_REFRESH_HOSTS);
  return names.length === 0 ? ['local'] : names;
}
