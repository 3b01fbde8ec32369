// The entry of dist/ssh2.js (scripts/build.mjs): what the SSH transport takes from ssh2, as named
// exports the extension's ES modules can import from a CommonJS bundle.
export { Client, utils } from 'ssh2';
