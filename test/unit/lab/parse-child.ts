// Run by resource-limits.test.ts as a separate process with a small heap:
// `node --max-old-space-size=N --import tsx parse-child.ts KIND`.
// Parses one hostile text the way the CLI does, then the way the language server does, and prints
// the diagnostic codes of each.
import { parseLabText } from '../../../extension/core/lab/parse';
import { readLabStage } from '../../../extension/core/lab/staged-parse';
import { hostileLabTexts } from '../../support/hostile-lab-texts';

const [kind = ''] = process.argv.slice(2);
const make = hostileLabTexts[kind];
if (make === undefined) throw new Error(`no hostile text named ${kind}`);
const text = make();
const cli = parseLabText(text, 'hostile.yaml').diagnostics.map((d) => d.code);
const server = readLabStage(text, 'hostile.yaml').diagnostics.map((d) => d.code);
process.stdout.write(JSON.stringify({ cli, server }));
