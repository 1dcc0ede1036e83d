import { describe, expect, it, vi } from 'vitest';
import { FakeEventSource } from '@/lib/live/testing/fake-event-source';
import { startLiveWorkerVm } from '@/lib/live/testing/live-worker-vm';

// The shared worker (public/live-worker.js) relaying a followed log's topic to tabs, run in a VM
// context with a stand-in EventSource the test speaks for: lines reach each tab once, without their
// timestamps, even though every reopened stream sends each log again from its tail; a tab that
// subscribes later gets the lines kept so far.

type Message = { sub: number; event: string; lines?: string[]; skipped?: number; reset?: boolean };


function startWorker() {
  return {
    ...startLiveWorkerVm<Message>(),
    /** The open stream, once it carries every topic in `topics`. */
    async stream(...topics: string[]): Promise<FakeEventSource> {
      return vi.waitFor(() => {
        const es = FakeEventSource.instances.at(-1);
        if (!es || es.closed || !topics.every((t) => es.topics().includes(t))) throw new Error('not open yet');
        return es;
      });
    },
  };
}

const logTopic = '/api/clusters/ns/c/pods/c-jm/log?context=x&tailLines=1000&follow=true';
const listTopic = '/api/watch/clusters?context=x&namespace=ns';
const ts = (tenths: number) => `2026-12-05T03:00:0${Math.floor(tenths / 10)}.${tenths % 10}Z`;
const linesOf = (received: Message[]) => received.filter((m) => m.event === 'lines').flatMap((m) => m.lines ?? []);

describe('the live worker and a followed log', () => {
  it('relays each line once, though a reopened stream sends the log again from its tail', async () => {
    const worker = startWorker();
    const tab = worker.connect();
    tab.send({ type: 'subscribe', sub: 1, topic: logTopic });
    let es = await worker.stream(logTopic);
    es.onopen?.();
    es.emit('log', { topic: logTopic, container: 'flink-main-container', lines: [`${ts(1)} a`, `${ts(2)} b1`, `${ts(2)} b2`], skipped: 0 });
    expect(linesOf(tab.received)).toEqual(['a', 'b1', 'b2']);

    // Another tab wants the list: the worker reopens the stream with both topics, and the server
    // starts the log from its tail again (with a count of lines it skipped before them).
    const other = worker.connect();
    other.send({ type: 'subscribe', sub: 1, topic: listTopic });
    es = await worker.stream(logTopic, listTopic);
    es.onopen?.();
    es.emit('log', { topic: logTopic, container: 'flink-main-container', lines: [`${ts(1)} a`, `${ts(2)} b1`, `${ts(2)} b2`, `${ts(2)} b3`, `${ts(3)} c`], skipped: 40 });
    expect(linesOf(tab.received)).toEqual(['a', 'b1', 'b2', 'b3', 'c']);
    // The lines skipped came before lines relayed already: nothing was lost.
    expect(tab.received.filter((m) => m.event === 'lines').map((m) => m.skipped)).toEqual([0, 0]);

    // After the replay, a line with the same timestamp as the last one is a new line.
    es.emit('log', { topic: logTopic, container: 'flink-main-container', lines: [`${ts(3)} c2`], skipped: 7 });
    expect(linesOf(tab.received).slice(-1)).toEqual(['c2']);
    expect(tab.received.at(-1)).toMatchObject({ event: 'lines', skipped: 7 });

    // A tab that subscribes now gets the kept lines at once, instead of whatever it showed.
    const late = worker.connect();
    late.send({ type: 'subscribe', sub: 4, topic: logTopic });
    expect(late.received[0]).toMatchObject({ sub: 4, event: 'lines', lines: ['a', 'b1', 'b2', 'b3', 'c', 'c2'], reset: true });

    // The container stops: every tab hears it once, even when a reopened stream reads the log to its end again.
    es.emit('log-end', { topic: logTopic, container: 'flink-main-container' });
    es.onopen?.();
    es.emit('log', { topic: logTopic, container: 'flink-main-container', lines: [`${ts(3)} c`, `${ts(3)} c2`], skipped: 0 });
    es.emit('log-end', { topic: logTopic, container: 'flink-main-container' });
    expect(tab.received.filter((m) => m.event === 'end')).toHaveLength(1);
    expect(linesOf(tab.received)).toEqual(['a', 'b1', 'b2', 'b3', 'c', 'c2']);
  });
});
