/**
 * The three files of a cloud-init NoCloud seed for one disk guest, as text (pure): meta-data
 * (instance id, hostname), user-data (the login user with the lab's key, the lab's sshd host key)
 * and network-config (DHCP on user networking, the VM's address on a bridge or isolated network).
 * Every value is written as a JSON string, which YAML reads as the same string: nothing from the
 * lab file can add YAML structure.
 */
import { createHash } from 'node:crypto';

/** The guest's network, as cloud-init should configure it. */
export type SeedNetwork =
  /** QEMU's user networking: DHCP from QEMU. */
  | { readonly kind: 'dhcp'; readonly mac: string }
  /** A bridge or isolated network: the VM's own address (with prefix) and gateway. */
  | { readonly kind: 'static'; readonly mac: string; readonly address: string; readonly gateway: string | undefined };

/** What goes into a seed. */
export interface SeedInput {
  readonly hostname: string;
  readonly user: string;
  /** The public key line cloud-init authorizes for `user`. */
  readonly authorizedKey: string;
  /** The sshd host key the guest gets (OpenSSH private key text and its public line). */
  readonly hostPrivateKey: string;
  readonly hostPublicKey: string;
  readonly network: SeedNetwork;
}

/** A seed's files, by the names NoCloud reads. */
export interface SeedFiles {
  readonly 'meta-data': string;
  readonly 'user-data': string;
  readonly 'network-config': string;
}

const q = (text: string): string => JSON.stringify(text);

function userData(input: SeedInput): string {
  return [
    '#cloud-config',
    `hostname: ${q(input.hostname)}`,
    'manage_etc_hosts: true',
    'users:',
    `  - name: ${q(input.user)}`,
    '    shell: "/bin/bash"',
    '    sudo: "ALL=(ALL) NOPASSWD:ALL"',
    '    lock_passwd: true',
    `    ssh_authorized_keys: [${q(input.authorizedKey)}]`,
    // No ssh_pwauth: cloud-init would rewrite sshd_config and restart sshd in its config stage,
    // after SSH first answered, dropping connections (the user's password is locked anyway).
    'disable_root: true',
    // The lab's host key replaces whatever keys the image has; no other kind is made (slow under TCG).
    'ssh_deletekeys: true',
    'ssh_genkeytypes: []',
    'ssh_keys:',
    `  ed25519_private: ${q(input.hostPrivateKey)}`,
    `  ed25519_public: ${q(input.hostPublicKey)}`,
    '',
  ].join('\n');
}

function networkConfig(network: SeedNetwork): string {
  const subnet =
    network.kind === 'dhcp'
      ? ['      - type: "dhcp"']
      : ['      - type: "static"', `        address: ${q(network.address)}`, ...(network.gateway === undefined ? [] : [`        gateway: ${q(network.gateway)}`])];
  return ['version: 1', 'config:', '  - type: "physical"', '    name: "eth0"', `    mac_address: ${q(network.mac)}`, '    subnets:', ...subnet, ''].join('\n');
}

/**
 * The seed's files. The instance id changes with their content, so cloud-init applies a changed
 * seed (another key, another address) at the next boot instead of keeping the first one.
 */
export function seedFiles(input: SeedInput): SeedFiles {
  const user = userData(input);
  const network = networkConfig(input.network);
  const id = createHash('sha256').update(user).update('\0').update(network).digest('hex').slice(0, 12);
  const meta = [`instance-id: ${q(`qemu-lab-${input.hostname}-${id}`)}`, `local-hostname: ${q(input.hostname)}`, ''].join('\n');
  return { 'meta-data': meta, 'user-data': user, 'network-config': network };
}
