/**
 * The version `qemu-lab --version` prints: the extension's own, from package.json (esbuild puts
 * only this field into the bundle; the CLI and the extension are released together).
 */
import { version } from '../../package.json';

/** `0.1.0`. */
export const QEMU_LAB_VERSION: string = version;
