import { QemuLabError } from '../../errors';

/**
 * Benchmark output cannot be understood (it is not what it claims, is cut short, or has a
 * number that is not a number), or a benchmark was asked for with impossible options.
 * The message says what was expected and what was found.
 */
export class BenchmarkError extends QemuLabError {}
