import { readLabFile } from '../core/lab/load';
import type { LabModel } from '../core/lab/model';

const LOCAL_ONLY: LabModel = { path: '<none>', hosts: new Map([['local', { name: 'local', kind: 'local', span: undefined }]]), networks: new Map(), vms: new Map(), experiments: new Map(), migrations: new Map() };

/** The lab file's model for commands about hosts; without a lab file (or with a broken one) just this machine, which is still worth showing. */
export async function labOrLocalOnly(file: string): Promise<LabModel> {
  return (await readLabFile(file)).lab ?? LOCAL_ONLY;
}
