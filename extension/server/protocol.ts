/**
 * What the lab language server and the editor say to each other beyond LSP: the initialization
 * options, the request to probe hosts again, and the commands code lenses run. Plain data, so
 * both sides (and tests) import it without either's library.
 */

/** `initializationOptions` the editor sends. */
export interface LabServerOptions {
  /** Ids of the editor commands that exist; a code lens is shown only for a command listed here. */
  readonly commands?: readonly string[];
  /**
   * Whether the workspace is trusted, so hosts may be probed (a probe runs QEMU). Default true.
   * With false the server starts no process and checks lab files as text only, refusing refresh
   * requests, until the editor sends {@link WORKSPACE_TRUSTED_METHOD}.
   */
  readonly probeHosts?: boolean;
}

/** Notification: the user trusted the workspace; the server may probe hosts now (and does). */
export const WORKSPACE_TRUSTED_METHOD = 'qemuLab/workspaceTrusted';

/** Request (or notification) to probe hosts again and re-check open lab files against them. */
export const REFRESH_HOSTS_METHOD = 'qemuLab/refreshHosts';

/** Parameters of {@link REFRESH_HOSTS_METHOD}: the hosts to probe, `local` when not given. */
export interface RefreshHostsParams {
  readonly hosts?: readonly string[];
}

/** How probing one host went. */
export interface HostProbeOutcome {
  readonly host: string;
  readonly ok: boolean;
  /** When the probe ran (ISO 8601), if it succeeded. */
  readonly probedAt?: string;
  /** Why it failed, if it did. */
  readonly error?: string;
}

/**
 * Request, server → editor: the capabilities of a host, as the editor's tree probed them (one
 * probe per editor session: the server never runs QEMU itself). Behind the editor's Workspace
 * Trust: in Restricted Mode the answer is an error.
 */
export const PROBE_HOST_METHOD = 'qemuLab/probeHost';

/** Parameters of {@link PROBE_HOST_METHOD}. */
export interface ProbeHostParams {
  readonly host: string;
}

/** Result of {@link PROBE_HOST_METHOD}: the capabilities (plain JSON), or why there are none. */
export type ProbeHostResult = { readonly capabilities: unknown } | { readonly error: string };

/** Result of {@link REFRESH_HOSTS_METHOD}. */
export interface RefreshHostsResult {
  readonly hosts: readonly HostProbeOutcome[];
}

/** A code lens over each entry of a section, and the command it runs with plain-data arguments. */
export interface LensCommand {
  readonly section: 'vms' | 'experiments' | 'migrations';
  readonly command: string;
  readonly title: string;
  readonly argument: (labPath: string, name: string) => Readonly<Record<string, string>>;
}

/** The commands code lenses run: `qemuLab.bootVm` takes `{ kind: 'vmRef', labPath, vmName }`. */
export const LENS_COMMANDS: readonly LensCommand[] = [
  { section: 'vms', command: 'qemuLab.bootVm', title: 'Boot', argument: (labPath, vmName) => ({ kind: 'vmRef', labPath, vmName }) },
  { section: 'experiments', command: 'qemuLab.runExperiment', title: 'Run', argument: (labPath, name) => ({ kind: 'experimentRef', labPath, name }) },
  { section: 'migrations', command: 'qemuLab.migrateVm', title: 'Migrate', argument: (labPath, name) => ({ kind: 'migrationRef', labPath, name }) },
];
