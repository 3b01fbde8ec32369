import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createConnection } from 'vscode-languageserver/node';
import {
  CodeActionRequest,
  CodeLensRequest,
  CompletionRequest,
  createProtocolConnection,
  DefinitionRequest,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentSymbolRequest,
  HoverRequest,
  InitializeRequest,
  InitializedNotification,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  ReferencesRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type CompletionItem,
  type Diagnostic,
  type InitializeResult,
  type MarkupContent,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import type { HostCapabilities } from '../../../extension/core/infrastructure/hosts/probes/capabilities';
import { REFRESH_HOSTS_METHOD, WORKSPACE_TRUSTED_METHOD, type RefreshHostsResult } from '../../../extension/server/protocol';
import { startLabServer, type LabServerDependencies } from '../../../extension/server/start-server';
import { fakeHost } from './helpers';

// No editor: two in-memory stream pairs connect the real server code to a protocol client.
let client: ProtocolConnection | undefined;

const URI = 'file:///lab/qemu-lab.yaml';

interface Pair {
  readonly connection: ProtocolConnection;
  readonly initialized: InitializeResult;
  /** Every diagnostics notification, in order. */
  readonly published: PublishDiagnosticsParams[];
  /** Every log message from the server. */
  readonly logged: string[];
}

async function startPair(dependencies: LabServerDependencies = {}, initializationOptions?: unknown): Promise<Pair> {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  startLabServer(createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient)), { validateDelayMs: 10, ...dependencies });
  const connection = createProtocolConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  const published: PublishDiagnosticsParams[] = [];
  const logged: string[] = [];
  connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
    published.push(params);
  });
  connection.onNotification(LogMessageNotification.type, (params) => {
    logged.push(params.message);
  });
  connection.listen();
  client = connection;
  const initialized = await connection.sendRequest(InitializeRequest.type, { processId: null, rootUri: null, capabilities: {}, initializationOptions });
  await connection.sendNotification(InitializedNotification.type, {});
  return { connection, initialized, published, logged };
}

/**
 * Resolves when a diagnostics notification for `uri` satisfies `wanted`, checking those already in
 * from the `since`-th on (take `pair.published.length` before acting, to wait for what follows).
 */
async function diagnosticsWhere(pair: Pair, wanted: (diagnostics: Diagnostic[]) => boolean, since = 0, uri = URI, timeoutMs = 5000): Promise<Diagnostic[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = pair.published.slice(since).find((p) => p.uri === uri && wanted(p.diagnostics));
    if (match !== undefined) return match.diagnostics;
    if (Date.now() > deadline) throw new Error(`no matching diagnostics for ${uri}; got ${JSON.stringify(pair.published.map((p) => p.diagnostics.map((d) => d.code)))}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function open(pair: Pair, text: string, uri = URI): Promise<void> {
  await pair.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'qemu-lab', version: 1, text } });
}

const codes = (diagnostics: Diagnostic[]): string[] => diagnostics.map((d) => String(d.code));

/** A prober that counts its calls and answers with `capabilities` for `local`. */
function countingProbe(capabilities: () => HostCapabilities = () => fakeHost()): { probe: (host: string) => Promise<HostCapabilities>; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    probe: async (host) => {
      calls.push(host);
      if (host !== 'local') throw new Error('remote hosts are not probed yet');
      return capabilities();
    },
  };
}

afterEach(() => {
  client?.dispose();
  client = undefined;
});

describe('lab language server over an in-memory connection', () => {
  it('publishes a located diagnostic for an unknown key, with the CLI\'s message', async () => {
    const pair = await startPair();
    await open(pair, 'vms:\n  vm1:\n    memroy: 1G\n');
    const diagnostics = await diagnosticsWhere(pair, (d) => d.length > 0);
    const unknown = diagnostics.find((d) => d.code === 'unknown-key');
    expect(unknown?.range.start).toEqual({ line: 2, character: 4 });
    expect(unknown?.message).toMatch(/memory/);
  });

  it('publishes no diagnostics for a valid lab', async () => {
    const pair = await startPair();
    await open(pair, 'vms:\n  vm1: { memory: 1G }\n');
    expect(await diagnosticsWhere(pair, () => true)).toEqual([]);
  });

  it('announces every provider', async () => {
    const { initialized } = await startPair();
    expect(initialized.capabilities).toMatchObject({
      completionProvider: { triggerCharacters: [' ', '[', ','] },
      hoverProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      documentSymbolProvider: true,
      codeActionProvider: { codeActionKinds: ['quickfix'] },
      codeLensProvider: { resolveProvider: false },
    });
  });

  it('re-validates after a pause in typing, and clears diagnostics on close', async () => {
    const pair = await startPair();
    await open(pair, 'vms:\n  vm1: {}\n');
    await diagnosticsWhere(pair, (d) => d.length === 0);
    await pair.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: URI, version: 2 },
      contentChanges: [{ range: { start: { line: 1, character: 9 }, end: { line: 1, character: 9 } }, text: '\n  vm2: { accel: kvmm }' }],
    });
    expect(codes(await diagnosticsWhere(pair, (d) => d.length > 0))).toEqual(['unknown-value']);
    const mark = pair.published.length;
    await pair.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: URI } });
    await diagnosticsWhere(pair, (d) => d.length === 0, mark);
  });
});

describe('host checks from the last probe', () => {
  it('probes local once at start-up in the background, then checks open files against it', async () => {
    const { probe, calls } = countingProbe();
    const pair = await startPair({ probeHost: probe });
    await open(pair, 'vms:\n  vm1:\n    accel: kvm\n');
    const diagnostics = await diagnosticsWhere(pair, (d) => d.some((x) => x.code === 'kvm-unusable'));
    const kvm = diagnostics.find((d) => d.code === 'kvm-unusable');
    expect(kvm?.range).toEqual({ start: { line: 2, character: 11 }, end: { line: 2, character: 14 } });
    expect(kvm?.message).toMatch(/PVM/);
    expect(calls).toEqual(['local']);
  });

  it('never probes on a keystroke', async () => {
    const { probe, calls } = countingProbe();
    const pair = await startPair({ probeHost: probe });
    await open(pair, 'vms:\n  vm1: {}\n');
    for (let version = 2; version < 12; version++) {
      await pair.connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri: URI, version },
        contentChanges: [{ text: `vms:\n  vm1: { cpus: ${version} }\n` }],
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls).toEqual(['local']);
  });

  it('probes again on qemuLab/refreshHosts (request or notification), and re-checks', async () => {
    let usable = false;
    const { probe, calls } = countingProbe(() => fakeHost({ kvmUsable: usable }));
    const pair = await startPair({ probeHost: probe });
    await open(pair, 'vms:\n  vm1: { accel: kvm }\n');
    await diagnosticsWhere(pair, (d) => codes(d).includes('kvm-unusable'));
    usable = true;
    let mark = pair.published.length;
    const result = await pair.connection.sendRequest<RefreshHostsResult>(REFRESH_HOSTS_METHOD, {});
    expect(result.hosts).toEqual([{ host: 'local', ok: true, probedAt: '2025-01-01T00:00:00.000Z' }]);
    await diagnosticsWhere(pair, (d) => d.length === 0, mark);
    usable = false;
    mark = pair.published.length;
    await pair.connection.sendNotification(REFRESH_HOSTS_METHOD, { hosts: ['local'] });
    await diagnosticsWhere(pair, (d) => codes(d).includes('kvm-unusable'), mark);
    expect(calls).toEqual(['local', 'local', 'local']);
  });

  it('says why a probe failed, forgets the stale result, and keeps serving', async () => {
    let fail = false;
    const pair = await startPair({
      probeHost: async () => {
        if (fail) throw new Error('qemu-system-x86_64: not found');
        return fakeHost();
      },
    });
    await open(pair, 'vms:\n  vm1: { accel: kvm }\n');
    await diagnosticsWhere(pair, (d) => codes(d).includes('kvm-unusable'));
    fail = true;
    const mark = pair.published.length;
    const result = await pair.connection.sendRequest<RefreshHostsResult>(REFRESH_HOSTS_METHOD, { hosts: ['local', 'lab-b', 42] });
    expect(result.hosts).toEqual([
      { host: 'local', ok: false, error: 'qemu-system-x86_64: not found' },
      { host: 'lab-b', ok: false, error: 'qemu-system-x86_64: not found' },
    ]);
    await diagnosticsWhere(pair, (d) => d.length === 0, mark);
    expect(pair.logged.join('\n')).toMatch(/probing host "local" failed/);
  });

  it('in an untrusted workspace probes nothing, even when asked, until the editor says it is trusted', async () => {
    const { probe, calls } = countingProbe();
    const pair = await startPair({ probeHost: probe }, { probeHosts: false });
    await open(pair, 'vms:\n  vm1: { accel: kvm }\n');
    await diagnosticsWhere(pair, () => true);
    const refused = await pair.connection.sendRequest<RefreshHostsResult>(REFRESH_HOSTS_METHOD, { hosts: ['local'] });
    expect(refused.hosts).toEqual([{ host: 'local', ok: false, error: expect.stringMatching(/^QEMU Lab did not probe host "local": the workspace is not trusted/) }]);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(calls).toEqual([]);
    // Trust granted: the server probes now, and checks the file against what it found.
    const mark = pair.published.length;
    await pair.connection.sendNotification(WORKSPACE_TRUSTED_METHOD);
    await diagnosticsWhere(pair, (d) => codes(d).includes('kvm-unusable'), mark);
    expect(calls).toEqual(['local']);
  });
});

describe('providers over the connection', () => {
  const LAB = 'hosts:\n  lab-b: { kind: ssh, address: b }\nvms:\n  vm1:\n    host: lab-b\n    nic: \n  vm2: {}\nexperiments:\n  e1: { vm: vm1 }\nmigrations:\n  m1: { vm: vm2, to: lab-b }\n';
  const doc = { uri: URI };

  it('completion, hover, definition, references, symbols', async () => {
    const pair = await startPair();
    await open(pair, LAB);
    const { connection } = pair;
    const completion = (await connection.sendRequest(CompletionRequest.type, { textDocument: doc, position: { line: 5, character: 9 } })) as CompletionItem[];
    expect(completion.map((i) => i.label)).toEqual(['virtio', 'e1000']);
    const hover = await connection.sendRequest(HoverRequest.type, { textDocument: doc, position: { line: 5, character: 5 } });
    expect((hover?.contents as MarkupContent).value).toContain('**nic**');
    const definition = await connection.sendRequest(DefinitionRequest.type, { textDocument: doc, position: { line: 4, character: 12 } });
    expect(definition).toEqual({ uri: URI, range: { start: { line: 1, character: 2 }, end: { line: 1, character: 7 } } });
    const references = await connection.sendRequest(ReferencesRequest.type, { textDocument: doc, position: { line: 1, character: 3 }, context: { includeDeclaration: false } });
    expect(references?.map((r) => r.range.start.line)).toEqual([4, 10]);
    const symbols = await connection.sendRequest(DocumentSymbolRequest.type, { textDocument: doc });
    expect(symbols?.map((s) => s.name)).toEqual(['hosts', 'vms', 'experiments', 'migrations']);
  });

  it('quick fixes for the diagnostics the editor sends back', async () => {
    const pair = await startPair();
    await open(pair, 'vms:\n  vm1:\n    memroy: 1G\n');
    const diagnostics = await diagnosticsWhere(pair, (d) => d.length > 0);
    const actions = await pair.connection.sendRequest(CodeActionRequest.type, {
      textDocument: doc,
      range: diagnostics[0]!.range,
      context: { diagnostics },
    });
    expect(actions?.map((a) => a.title)).toEqual(['Did you mean "memory"?']);
  });

  it('code lenses only for the commands the editor lists', async () => {
    const none = await startPair();
    await open(none, LAB);
    expect(await none.connection.sendRequest(CodeLensRequest.type, { textDocument: doc })).toEqual([]);
    none.connection.dispose();
    const some = await startPair({}, { commands: ['qemuLab.bootVm', 'qemuLab.refresh', 7] });
    await open(some, LAB);
    const lenses = await some.connection.sendRequest(CodeLensRequest.type, { textDocument: doc });
    expect(lenses?.map((l) => [l.command?.command, l.command?.arguments?.[0]])).toEqual([
      ['qemuLab.bootVm', { kind: 'vmRef', labPath: '/lab/qemu-lab.yaml', vmName: 'vm1' }],
      ['qemuLab.bootVm', { kind: 'vmRef', labPath: '/lab/qemu-lab.yaml', vmName: 'vm2' }],
    ]);
  });

  it('answers requests for a document it does not have with empty results', async () => {
    const { connection } = await startPair();
    const other = { uri: 'file:///nowhere.qemu-lab.yaml' };
    expect(await connection.sendRequest(CompletionRequest.type, { textDocument: other, position: { line: 0, character: 0 } })).toEqual([]);
    expect(await connection.sendRequest(HoverRequest.type, { textDocument: other, position: { line: 0, character: 0 } })).toBeNull();
  });

  it('a provider that breaks logs the error and answers empty; the server keeps serving', async () => {
    // A probe result with a broken field makes NIC completion throw inside the provider.
    const broken = { ...fakeHost(), nicModels: null } as unknown as HostCapabilities;
    const pair = await startPair({ probeHost: async () => broken });
    await open(pair, 'vms:\n  vm1:\n    nic: \n');
    await pair.connection.sendRequest(REFRESH_HOSTS_METHOD, {});
    const items = await pair.connection.sendRequest(CompletionRequest.type, { textDocument: doc, position: { line: 2, character: 9 } });
    expect(items).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(pair.logged.join('\n')).toMatch(/qemu-lab completion failed/);
    const hover = await pair.connection.sendRequest(HoverRequest.type, { textDocument: doc, position: { line: 0, character: 1 } });
    expect((hover?.contents as MarkupContent).value).toContain('virtual machines');
  });
});
