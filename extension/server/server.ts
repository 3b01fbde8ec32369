import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { startLabServer } from './start-server';

// The language server's entry point (its own bundle, dist/server.js): only the wiring.
startLabServer(createConnection(ProposedFeatures.all));
