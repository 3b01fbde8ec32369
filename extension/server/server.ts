import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { probeLocalHost } from '../core/host/capabilities';
import { LOCAL_HOST } from '../core/lab/vocabulary';
import { startLabServer } from './start-server';

// The language server's entry point (its own bundle, dist/server.js): only the wiring. Host
// `local` is this machine; remote hosts are not probed yet, so they are never checked.
startLabServer(createConnection(ProposedFeatures.all), {
  probeHost: (host) =>
    host === LOCAL_HOST ? probeLocalHost() : Promise.reject(new Error(`"${host}" is a remote host: remote hosts are not probed yet`)),
});
