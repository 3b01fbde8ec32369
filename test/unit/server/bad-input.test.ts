import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnection } from 'vscode-languageserver/node';
import {
  CodeLensRequest,
  CompletionRequest,
  createProtocolConnection,
  DefinitionRequest,
  DidOpenTextDocumentNotification,
  DocumentSymbolRequest,
  HoverRequest,
  InitializeRequest,
  InitializedNotification,
  PublishDiagnosticsNotification,
  ReferencesRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type PublishDiagnosticsParams,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { startLabServer } from '../../../extension/server/start-server';
import { fakeHost } from './helpers';

const billionLaughs = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...'bcdefghi'.split('').map((name, i) => `${name}: &${name} [${Array.from({ length: 9 }, () => `*${'abcdefghi'[i]}`).join(',')}]`),
].join('\n');

/** Texts that must give diagnostics, never a crash or a hang, and the code each must give. */
const BAD: readonly (readonly [string, string, string])[] = [
  ['binary junk', Array.from({ length: 4096 }, (_, i) => String.fromCharCode((i * 7919) % 256)).join(''), 'not-text'],
  ['a 10 MB file', `vms:\n  vm1: { image: "${'x'.repeat(10 * 1024 * 1024)}" }\n`, 'file-too-large'],
  ['5000 nested flow lists', '['.repeat(5000) + ']'.repeat(5000), 'too-deep'],
  ['100000 nested flow mappings', '{a: '.repeat(100_000) + '}'.repeat(100_000), 'too-deep'],
  ['deep block mappings', Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}a:`).join('\n'), 'too-deep'],
  ['a billion laughs', billionLaughs, 'alias-bomb'],
  ['a billion laughs in a VM', `x:\n${billionLaughs.replace(/^/gm, '  ')}\nvms:\n  vm1: { extraArgs: *i }`, 'alias-bomb'],
  ['an unclosed quote', 'vms:\n  vm1: { image: "abc\n  vm2: {}\n', 'yaml-syntax'],
  ['a megabyte of one line', `vms: ${'x'.repeat(1024 * 1024 - 10)}`, 'not-a-mapping'],
];

let client: ProtocolConnection;
const published = new Map<string, PublishDiagnosticsParams>();

beforeAll(async () => {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  startLabServer(createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient)), { probeHost: async () => fakeHost() });
  client = createProtocolConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  client.onNotification(PublishDiagnosticsNotification.type, (params) => {
    published.set(params.uri, params);
  });
  client.listen();
  await client.sendRequest(InitializeRequest.type, { processId: null, rootUri: null, capabilities: {}, initializationOptions: { commands: ['qemuLab.bootVm'] } });
  await client.sendNotification(InitializedNotification.type, {});
});

afterAll(() => client.dispose());

async function diagnosticsOf(uri: string): Promise<PublishDiagnosticsParams> {
  const deadline = Date.now() + 20_000;
  while (!published.has(uri)) {
    if (Date.now() > deadline) throw new Error(`no diagnostics for ${uri}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return published.get(uri) as PublishDiagnosticsParams;
}

describe('bad input never crashes or hangs the server', () => {
  it.each(BAD)('%s: diagnostics, and every provider answers', { timeout: 30_000 }, async (name, text, code) => {
    const uri = `file:///bad/${encodeURIComponent(name)}.qemu-lab.yaml`;
    const started = Date.now();
    await client.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'qemu-lab', version: 1, text } });
    const { diagnostics } = await diagnosticsOf(uri);
    expect(diagnostics.map((d) => d.code)).toContain(code);
    const textDocument = { uri };
    for (const position of [{ line: 0, character: 0 }, { line: 0, character: 3 }, { line: 1, character: 4 }, { line: 500, character: 9999 }]) {
      expect(Array.isArray(await client.sendRequest(CompletionRequest.type, { textDocument, position }))).toBe(true);
      await client.sendRequest(HoverRequest.type, { textDocument, position });
      await client.sendRequest(DefinitionRequest.type, { textDocument, position });
      expect(await client.sendRequest(ReferencesRequest.type, { textDocument, position, context: { includeDeclaration: true } })).toBeInstanceOf(Array);
    }
    expect(await client.sendRequest(DocumentSymbolRequest.type, { textDocument })).toBeInstanceOf(Array);
    expect(await client.sendRequest(CodeLensRequest.type, { textDocument })).toBeInstanceOf(Array);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('still serves a good file afterwards', async () => {
    const uri = 'file:///bad/after.qemu-lab.yaml';
    await client.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'qemu-lab', version: 1, text: 'vms:\n  vm1:\n    nic: \n' },
    });
    await diagnosticsOf(uri);
    const items = await client.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 2, character: 9 } });
    expect((items as { label: string }[]).slice(0, 2).map((i) => i.label)).toEqual(['virtio', 'e1000']);
  });
});
