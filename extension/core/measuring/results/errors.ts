import { QemuLabError } from '../../errors';

/** The result store cannot be written, or a record cannot be stored as asked. */
export class ResultStoreError extends QemuLabError {}
