import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { LOCAL_HOST } from '../core/lab/vocabulary';
import { probeThroughEditor } from './probe-through-editor';
import { startLabServer } from './start-server';

// The language server's entry point (its own bundle, dist/server.js): only the wiring. Host
// `local` is this machine, as the editor probed it (one probe per session, shared with the
// tree); the server's gate (closed in an untrusted workspace) is asked first. Remote hosts are
// not probed yet, so they are never checked.
const connection = createConnection(ProposedFeatures.all);
startLabServer(connection, {
  probeHost: (host) => (host === LOCAL_HOST ? probeThroughEditor(connection, host) : Promise.reject(new Error(`"${host}" is a remote host: remote hosts are not probed yet`))),
});
