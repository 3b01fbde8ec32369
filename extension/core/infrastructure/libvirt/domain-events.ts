/**
 * A pure reader of `virsh event --loop --all --timestamp` output (Debian 12's virsh 9.0 wording,
 * fixture in test/fixtures/libvirt/virsh/event-loop-all-timestamp.txt, captured from a real
 * libvirtd). Output is input: a line that does not fit (virsh's own notes, a multi-line event's
 * detail lines, garbage) is skipped, never thrown, and a name is only taken when it could be a
 * libvirt domain's.
 */

/** libvirt's lifecycle events (`virDomainEventType`), as virsh prints them. */
const LIFECYCLE_EVENTS = ['Defined', 'Undefined', 'Started', 'Suspended', 'Resumed', 'Stopped', 'Shutdown', 'PMSuspended', 'Crashed'] as const;

/** A lifecycle event's first word: what happened to the domain. */
export type LifecycleEvent = (typeof LIFECYCLE_EVENTS)[number];

/** One domain event virsh printed. */
export interface DomainEvent {
  /** When libvirt delivered it to virsh (its `--timestamp`). */
  readonly at: Date;
  /** libvirt's event name: `lifecycle`, `reboot`, `metadata-change`, `control-error`, … */
  readonly type: string;
  /** The domain's name. */
  readonly domain: string;
  /** The rest of the line after `: `, when there is one (`Started Booted`, `type description, uri <null>`). */
  readonly detail?: string;
  /** For a lifecycle event: what happened (`Started`) and why (`Booted`, `Finished after host request`). */
  readonly lifecycle?: { readonly event: LifecycleEvent; readonly reason: string };
}

// `2026-12-03 14:05:29.523+0000: event 'lifecycle' for domain 'cap-vm': Started Booted`.
// The name is greedy: a name with `': ` in it still ends at the last quote before the detail.
const EVENT_LINE = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?)([+-]\d{2})(\d{2}): event '([a-z][a-z0-9-]{0,63})' for domain '(.+)'(?::(?: (.*))?)?$/;

/** Longest domain name taken (libvirt has no limit of its own; a file name holds 255 bytes). */
const MAX_NAME = 255;

/** Reads one line; undefined for any line that is not a domain event. */
export function parseDomainEventLine(line: string): DomainEvent | undefined {
  const match = EVENT_LINE.exec(line.replace(/\r$/, ''));
  if (match === null) return undefined;
  const [, date, time, zoneHours, zoneMinutes, type, domain, detail] = match;
  if (date === undefined || time === undefined || type === undefined || domain === undefined) return undefined;
  // A control character or a slash never is in a domain name libvirt accepts.
  // eslint-disable-next-line no-control-regex -- these control characters are exactly what is looked for
  if (domain.length > MAX_NAME || /[\u0000-\u001f\u007f/]/.test(domain)) return undefined;
  const at = new Date(`${date}T${time}${zoneHours ?? '+00'}:${zoneMinutes ?? '00'}`);
  if (Number.isNaN(at.getTime())) return undefined;
  const event: DomainEvent = detail === undefined || detail === '' ? { at, type, domain } : { at, type, domain, detail };
  if (type !== 'lifecycle' || detail === undefined) return event;
  const space = detail.indexOf(' ');
  const word = space === -1 ? detail : detail.slice(0, space);
  const lifecycle = LIFECYCLE_EVENTS.find((known) => known === word);
  return lifecycle === undefined ? event : { ...event, lifecycle: { event: lifecycle, reason: space === -1 ? '' : detail.slice(space + 1) } };
}

/** Reads every event of a text (whole lines); other lines are skipped. */
export function parseDomainEvents(text: string): DomainEvent[] {
  const events: DomainEvent[] = [];
  for (const line of text.split('\n')) {
    const event = parseDomainEventLine(line);
    if (event !== undefined) events.push(event);
  }
  return events;
}

/** The longest partial line kept while waiting for its end: virsh's lines are short; past this it is not one of them. */
export const MAX_PENDING_LINE = 64 * 1024;

/**
 * Cuts streamed output into events as pieces arrive (a piece may end inside a line). It holds at
 * most one partial line, dropped when it grows past {@link MAX_PENDING_LINE}: nothing a host
 * prints makes it keep more.
 */
export class DomainEventLines {
  private pending = '';
  private skipping = false;

  constructor(private readonly onEvent: (event: DomainEvent) => void) {}

  /** Takes a piece of output; calls `onEvent` for each complete event line in it. */
  push(text: string): void {
    let start = 0;
    for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
      const line = this.pending + text.slice(start, newline);
      this.pending = '';
      start = newline + 1;
      if (this.skipping) {
        this.skipping = false; // The end of an overlong line: the next one is whole again.
        continue;
      }
      const event = parseDomainEventLine(line);
      if (event !== undefined) this.onEvent(event);
    }
    this.pending += text.slice(start);
    if (this.pending.length > MAX_PENDING_LINE) {
      this.pending = '';
      this.skipping = true;
    }
  }

  /** Forgets a partial line (the stream ended or starts again). */
  reset(): void {
    this.pending = '';
    this.skipping = false;
  }
}
