import { benchLanguageServer } from './language-server';
import { benchLabDiagnostics } from './lab-diagnostics';
benchLabDiagnostics();
benchLanguageServer();
