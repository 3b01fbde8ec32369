import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { probeHost } from '../core/infrastructure/hosts/probes/capabilities';
import { LocalHostSystem } from '../core/infrastructure/hosts/system/host-system';
import { LOCAL_HOST } from '../core/lab/vocabulary';
import { startLabServer } from './start-server';

// The language server's entry point (its own bundle, dist/server.js): only the wiring. Host
// `local` is this machine, behind the server's gate (closed in an untrusted workspace); remote
// hosts are not probed yet, so they are never checked.
startLabServer(createConnection(ProposedFeatures.all), {
  probeHost: (host, gate) =>
    host === LOCAL_HOST ? probeHost(new LocalHostSystem(gate), process.env) : Promise.reject(new Error(`"${host}" is a remote host: remote hosts are not probed yet`)),
});
