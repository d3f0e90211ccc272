import { describe, expect, test } from 'vitest';
import { SendQueue } from '../../../src/chat/irc/send-queue.ts';
import { FakeTimers } from '../../support/fake-timers.ts';

/** A queue whose lines are written down with the moment they left. */
function pacedQueue(options: { burst?: number; intervalMs?: number } = {}) {
  const timers = new FakeTimers();
  const sent: string[] = [];
  const queue = new SendQueue<string>((line) => sent.push(`${timers.now}ms ${line}`), { timers, ...options });
  return { timers, sent, queue };
}

const lines = (target: string, n: number) => Array.from({ length: n }, (_, i) => `${target} ${i + 1}`);

describe('SendQueue', () => {
  test('four lines go at once, then one a second', () => {
    const { timers, sent, queue } = pacedQueue();
    queue.push('#ops', ...lines('#ops', 7));
    expect(sent).toEqual(['0ms #ops 1', '0ms #ops 2', '0ms #ops 3', '0ms #ops 4']);
    timers.advance(999);
    expect(sent).toHaveLength(4);
    timers.advance(1);
    expect(sent.at(-1)).toBe('1000ms #ops 5');
    timers.advance(5_000);
    expect(sent.slice(4)).toEqual(['1000ms #ops 5', '2000ms #ops 6', '3000ms #ops 7']);
    expect(queue.pending).toBe(0);
  });

  test('the burst is earned back one line per interval while idle', () => {
    const { timers, sent, queue } = pacedQueue();
    queue.push('#ops', ...lines('a', 4));
    timers.advance(2_000);
    queue.push('#ops', ...lines('b', 4));
    expect(sent.slice(4)).toEqual(['2000ms b 1', '2000ms b 2']);
    timers.advance(10_000);
    queue.push('#ops', ...lines('c', 5));
    expect(sent.filter((l) => l.includes(' c '))).toEqual(['12000ms c 1', '12000ms c 2', '12000ms c 3', '12000ms c 4']);
  });

  test('targets take turns, and each target keeps its own order', () => {
    const { timers, sent, queue } = pacedQueue({ burst: 1 });
    queue.push('dana', ...lines('dana', 4));
    queue.push('#inc-3', 'INC-3 is now SEV1');
    queue.push('dana', 'dana 5');
    timers.advance(10_000);
    expect(sent.map((l) => l.replace(/^\d+ms /, ''))).toEqual(['dana 1', 'dana 2', 'INC-3 is now SEV1', 'dana 3', 'dana 4', 'dana 5']);
  });

  test('a target is the same whatever its case', () => {
    const { timers, sent, queue } = pacedQueue({ burst: 1 });
    queue.push('#Ops', 'one');
    queue.push('#sre', 'sre');
    queue.push('#OPS', 'two');
    timers.advance(10_000);
    expect(sent.map((l) => l.replace(/^\d+ms /, ''))).toEqual(['one', 'sre', 'two']);
  });

  test('another interval and burst can be configured', () => {
    const { timers, sent, queue } = pacedQueue({ burst: 2, intervalMs: 2_000 });
    queue.push('#ops', ...lines('#ops', 4));
    timers.advance(4_000);
    expect(sent).toEqual(['0ms #ops 1', '0ms #ops 2', '2000ms #ops 3', '4000ms #ops 4']);
  });

  test('clear drops what waits, returns it, and gives the next connection a full burst', () => {
    const { timers, sent, queue } = pacedQueue();
    queue.push('#ops', ...lines('#ops', 6));
    expect(queue.clear()).toEqual(['#ops 5', '#ops 6']);
    expect(timers.pending).toBe(0);
    timers.advance(5_000);
    expect(sent).toHaveLength(4);
    queue.push('#ops', ...lines('new', 4));
    expect(sent.slice(4)).toEqual(['5000ms new 1', '5000ms new 2', '5000ms new 3', '5000ms new 4']);
  });

  test('an idle queue with a full burst holds no timer', () => {
    const { timers, queue } = pacedQueue();
    queue.push('#ops', 'one');
    timers.advance(1_000);
    expect(timers.pending).toBe(0);
  });
});
