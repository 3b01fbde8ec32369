import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createConnection } from 'vscode-languageserver/node';
import {
  createProtocolConnection,
  DidOpenTextDocumentNotification,
  InitializeRequest,
  InitializedNotification,
  PublishDiagnosticsNotification,
  StreamMessageReader,
  StreamMessageWriter,
  type PublishDiagnosticsParams,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { startLabServer } from '../../../extension/server/start-server';

// No editor: two in-memory stream pairs connect the real server code to a protocol client.
let client: ProtocolConnection | undefined;

async function startPair(): Promise<ProtocolConnection> {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  startLabServer(createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient)));
  const connection = createProtocolConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  connection.listen();
  await connection.sendRequest(InitializeRequest.type, { processId: null, rootUri: null, capabilities: {} });
  await connection.sendNotification(InitializedNotification.type, {});
  return connection;
}

function nextDiagnostics(connection: ProtocolConnection): Promise<PublishDiagnosticsParams> {
  return new Promise((resolve) => {
    const subscription = connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      subscription.dispose();
      resolve(params);
    });
  });
}

afterEach(() => {
  client?.dispose();
  client = undefined;
});

describe('lab language server over an in-memory connection', () => {
  it('publishes a located diagnostic for an unknown key, with the CLI\'s message', async () => {
    client = await startPair();
    const diagnostics = nextDiagnostics(client);
    await client.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: 'file:///lab/qemu-lab.yaml', languageId: 'qemu-lab', version: 1, text: 'vms:\n  vm1:\n    memroy: 1G\n' },
    });
    const published = await diagnostics;
    expect(published.uri).toBe('file:///lab/qemu-lab.yaml');
    const unknown = published.diagnostics.find((d) => d.code === 'unknown-key');
    expect(unknown?.range.start).toEqual({ line: 2, character: 4 });
    expect(unknown?.message).toMatch(/memory/);
  });

  it('publishes no diagnostics for a valid lab', async () => {
    client = await startPair();
    const diagnostics = nextDiagnostics(client);
    await client.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: 'file:///lab/ok.qemu-lab.yaml', languageId: 'qemu-lab', version: 1, text: 'vms:\n  vm1: { memory: 1G }\n' },
    });
    expect((await diagnostics).diagnostics).toEqual([]);
  });
});
