import { describe, expect, it, vi } from 'vitest';
import { isFromResultsWebview, isToResultsWebview, RESULTS_PROTOCOL, type FromResultsWebview, type ToResultsWebview } from '../../../webview/results/protocol';
import { MessageHandler, PNG_DATA_URL_PREFIX, describeMessage, extensionEndpoint, webviewEndpoint } from '../../../webview/shared/protocol';
import type { ResultsViewModel } from '../../../webview/results/model';

const PNG = `${PNG_DATA_URL_PREFIX}iVBORw0KGgo=`;

const model: ResultsViewModel = {
  labPath: '/lab/qemu-lab.yaml',
  labName: 'qemu-lab.yaml',
  experiments: [{ name: 'e', inLab: true, runs: [{ runId: 'r1', started: '2026-01-05T14:03:00.000Z', label: '2026-01-05 14:03 UTC' }] }],
  experiment: 'e',
  runId: 'r1',
  followsLatest: true,
  run: {
    experiment: 'e',
    runId: 'r1',
    started: '2026-01-05T14:03:00.000Z',
    hasRunLog: false,
    charts: [
      {
        id: 'bar-x',
        benchmark: 'sysbench-cpu',
        title: 't',
        unit: 'events/s',
        higherIsBetter: true,
        groups: ['KVM', 'TCG'],
        series: [{ name: 'virtio', points: [{ cell: 'c', median: 2, min: 1, max: 3, count: 5, outliers: 0 }, null] }],
        ratios: ['KVM 9.6× faster than TCG'],
        hostRatios: [],
      },
    ],
    table: [],
    notDone: [{ cell: 'c2', status: 'skipped', reason: 'no KVM' }],
    facts: [],
  },
  history: [],
  imported: [],
  problems: [],
};

describe('isFromResultsWebview', () => {
  const good: FromResultsWebview[] = [
    { type: 'ready' },
    { type: 'selectExperiment', name: 'kvm-vs-tcg' },
    { type: 'selectRun', runId: 'r1' },
    { type: 'exportPng', chartId: 'bar-sysbench-cpu', dataUrl: PNG },
    { type: 'exportCsv' },
    { type: 'exportReport', format: 'md' },
    { type: 'exportReport', format: 'html' },
    { type: 'runExperiment', name: 'kvm-vs-tcg' },
    { type: 'log', level: 'warn', message: 'x' },
  ];

  it('accepts every well-formed message, also after a JSON round trip', () => {
    for (const message of good) {
      expect(isFromResultsWebview(message)).toBe(true);
      expect(isFromResultsWebview(JSON.parse(JSON.stringify(message)))).toBe(true);
    }
  });

  it.each([
    ['not an object', 'ready'],
    ['null', null],
    ['an array', [{ type: 'ready' }]],
    ['no type', { name: 'x' }],
    ['an unknown type', { type: 'deleteEverything' }],
    ['a type from the other direction', { type: 'show', model }],
    ['an inherited key as type', { type: 'toString' }],
    ['a missing field', { type: 'selectRun' }],
    ['a field of the wrong type', { type: 'selectExperiment', name: 42 }],
    ['an empty name', { type: 'selectExperiment', name: '' }],
    ['a format not offered', { type: 'exportReport', format: 'pdf' }],
    ['a data URL that is not PNG', { type: 'exportPng', chartId: 'c', dataUrl: 'data:text/html;base64,PHNjcmlwdD4=' }],
    ['a PNG data URL with junk', { type: 'exportPng', chartId: 'c', dataUrl: `${PNG_DATA_URL_PREFIX}<script>` }],
    ['an overlong name', { type: 'selectExperiment', name: 'x'.repeat(20_000) }],
    ['a log level not known', { type: 'log', level: 'info', message: 'x' }],
  ])('refuses %s', (_what, value) => {
    expect(isFromResultsWebview(value)).toBe(false);
  });
});

describe('isToResultsWebview', () => {
  it('accepts show with a whole model, progress with or without progress, and requestPng', () => {
    expect(isToResultsWebview({ type: 'show', model })).toBe(true);
    expect(isToResultsWebview(JSON.parse(JSON.stringify({ type: 'show', model })))).toBe(true);
    expect(isToResultsWebview({ type: 'progress' })).toBe(true);
    expect(isToResultsWebview({ type: 'progress', progress: { experiment: 'e', done: 1, planned: 4, message: 'm', notDone: [] } })).toBe(true);
    expect(isToResultsWebview({ type: 'requestPng', chartId: 'bar-x' })).toBe(true);
  });

  it('checks the model all the way down', () => {
    const broken = (mutate: (m: Record<string, unknown>) => void) => {
      const copy = JSON.parse(JSON.stringify(model)) as Record<string, unknown>;
      mutate(copy);
      return { type: 'show', model: copy };
    };
    expect(isToResultsWebview(broken((m) => delete m.labPath))).toBe(false);
    expect(isToResultsWebview(broken((m) => ((m.run as { charts: { series: { points: unknown[] }[] }[] }).charts[0]!.series[0]!.points[0] = { median: '2' })))).toBe(false);
    expect(isToResultsWebview(broken((m) => ((m.run as { notDone: { status: string }[] }).notDone[0]!.status = 'exploded')))).toBe(false);
    expect(isToResultsWebview(broken((m) => (m.history = 'none')))).toBe(false);
    expect(isToResultsWebview({ type: 'progress', progress: { experiment: 'e', done: 'one' } })).toBe(false);
    expect(isToResultsWebview({ type: 'requestPng' })).toBe(false);
  });
});

describe('describeMessage', () => {
  it('says what a malformed message looked like without dumping it', () => {
    expect(describeMessage(null)).toBe('null');
    expect(describeMessage(undefined)).toBe('undefined');
    expect(describeMessage([1])).toBe('an array');
    expect(describeMessage(7)).toBe('a number');
    expect(describeMessage({ type: 'bogus', a: 1 })).toBe('a "bogus" message with keys type, a');
    expect(describeMessage({ a: 1 })).toBe('an object without a type (keys a)');
  });
});

describe('MessageHandler', () => {
  function setUp(handler: (message: FromResultsWebview) => void | Promise<void> = () => undefined) {
    const posted: ToResultsWebview[] = [];
    const problems: string[] = [];
    const received: FromResultsWebview[] = [];
    const endpoint = extensionEndpoint(
      RESULTS_PROTOCOL,
      async (message) => {
        received.push(message);
        await handler(message);
      },
      (message) => posted.push(message),
      (problem) => problems.push(problem),
    );
    return { endpoint, posted, problems, received };
  }

  it('hands well-formed messages to the handler and posts typed ones', async () => {
    const { endpoint, posted, problems, received } = setUp();
    await endpoint.receive({ type: 'selectRun', runId: 'r1' });
    expect(endpoint.post({ type: 'requestPng', chartId: 'bar-x' })).toBe(true);
    expect(received).toEqual([{ type: 'selectRun', runId: 'r1' }]);
    expect(posted).toEqual([{ type: 'requestPng', chartId: 'bar-x' }]);
    expect(problems).toEqual([]);
  });

  it('ignores and logs a malformed message: the handler never sees it', async () => {
    const { endpoint, problems, received } = setUp();
    await expect(endpoint.receive({ type: 'selectRun', runId: 5 })).resolves.toBeUndefined();
    await endpoint.receive(undefined);
    expect(received).toEqual([]);
    expect(problems).toEqual(['ignored a malformed message: a "selectRun" message with keys type, runId', 'ignored a malformed message: undefined']);
  });

  it('logs a handler that throws or rejects, and goes on', async () => {
    let calls = 0;
    const { endpoint, problems } = setUp(() => {
      calls += 1;
      if (calls === 1) throw new Error('boom');
      return Promise.reject(new Error('later boom'));
    });
    await expect(endpoint.receive({ type: 'exportCsv' })).resolves.toBeUndefined();
    await expect(endpoint.receive({ type: 'exportCsv' })).resolves.toBeUndefined();
    expect(problems).toEqual(['handling a "exportCsv" message failed: boom', 'handling a "exportCsv" message failed: later boom']);
  });

  it('logs a post that throws or whose promise rejects (a disposed webview)', async () => {
    const problems: string[] = [];
    const throwing = new MessageHandler<FromResultsWebview, ToResultsWebview>(() => undefined, () => {
      throw new Error('gone');
    }, isFromResultsWebview, (p) => problems.push(p));
    expect(throwing.post({ type: 'progress' })).toBe(false);
    const rejecting = webviewEndpoint(RESULTS_PROTOCOL, () => undefined, () => Promise.reject(new Error('disposed')), (p) => problems.push(p));
    expect(rejecting.post({ type: 'ready' })).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(problems).toEqual(['could not post a message: gone', 'could not post a message: disposed']);
  });

  it('does nothing once disposed', async () => {
    const handler = vi.fn();
    const post = vi.fn();
    const endpoint = webviewEndpoint(RESULTS_PROTOCOL, handler, post);
    endpoint.dispose();
    await endpoint.receive({ type: 'progress' });
    expect(endpoint.post({ type: 'ready' })).toBe(false);
    expect(handler).not.toHaveBeenCalled();
    expect(post).not.toHaveBeenCalled();
  });

  it('the webview end checks the other direction', async () => {
    const received: ToResultsWebview[] = [];
    const problems: string[] = [];
    const endpoint = webviewEndpoint(RESULTS_PROTOCOL, (m) => void received.push(m), () => undefined, (p) => problems.push(p));
    await endpoint.receive({ type: 'ready' });
    await endpoint.receive({ type: 'show', model });
    expect(received.map((m) => m.type)).toEqual(['show']);
    expect(problems).toHaveLength(1);
  });
});
