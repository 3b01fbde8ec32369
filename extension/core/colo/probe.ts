/**
 * Asks one QEMU of a pair a question over QMP with a hard bound on the whole exchange
 * (connect, greeting, command): a QEMU whose main loop is stuck — a hung COLO checkpoint —
 * accepts the connection but never greets, so every step needs the bound.
 */
import { describeError } from '../errors';
import { QmpClient } from '../infrastructure/qmp/client';
import type { QmpValue } from '../infrastructure/qmp/messages';

/** The outcome of a bounded QMP exchange. */
export type ProbeResult =
  | { readonly ok: true; readonly replies: readonly QmpValue[]; readonly ms: number }
  | { readonly ok: false; readonly why: string; readonly ms: number };

/** Connects with `connect`, runs `commands` in order, disconnects; never takes much longer than `boundMs`. */
export async function probeQmp(connect: (client: QmpClient) => Promise<void>, commands: readonly string[], boundMs: number, name: string): Promise<ProbeResult> {
  const started = performance.now();
  const client = new QmpClient({ name, connectTimeoutMs: boundMs, defaultTimeoutMs: boundMs });
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${boundMs} ms`)), boundMs);
  });
  try {
    const replies = await Promise.race([
      (async () => {
        await connect(client);
        const out: QmpValue[] = [];
        for (const command of commands) out.push(await client.execute(command));
        return out;
      })(),
      bound,
    ]);
    return { ok: true, replies, ms: performance.now() - started };
  } catch (error) {
    return { ok: false, why: describeError(error), ms: performance.now() - started };
  } finally {
    clearTimeout(timer);
    await client.disconnect().catch(() => undefined);
  }
}
