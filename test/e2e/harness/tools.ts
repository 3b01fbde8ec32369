// Where scripts/e2e/setup.mjs installed the tools; scripts/e2e/run.mjs passes the file.
import { existsSync, readFileSync } from 'node:fs';

export interface Tools {
  readonly node: string;
  readonly codeServer: string;
  readonly chromium: string;
  readonly nodeVersion: string;
  readonly codeServerVersion: string;
  readonly vscodeVersion: string;
}

export function readTools(): Tools {
  const file = process.env.QEMU_LAB_E2E_TOOLS;
  if (file === undefined || !existsSync(file)) {
    throw new Error('QEMU_LAB_E2E_TOOLS does not name the tools file: run the suite with `npm run test:e2e`');
  }
  const tools = JSON.parse(readFileSync(file, 'utf8')) as Tools;
  for (const path of [tools.node, tools.codeServer, tools.chromium]) {
    if (!existsSync(path)) throw new Error(`${path} is missing: run \`node scripts/e2e/setup.mjs\``);
  }
  return tools;
}
