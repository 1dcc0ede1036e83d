import { describe, expect, it } from 'vitest';
import { LogBuffer, matchingLines } from './log-buffer';

describe('LogBuffer', () => {
  it('joins lines split across chunks and keeps an unfinished last line visible', () => {
    const b = new LogBuffer(10);
    b.append('2026-12-05 INFO Start');
    expect(b.lines()).toEqual(['2026-12-05 INFO Start']);
    b.append('ing cluster\r\nsecond line\nthi');
    expect(b.lines()).toEqual(['2026-12-05 INFO Starting cluster', 'second line', 'thi']);
    b.append('rd\n');
    expect(b.lines()).toEqual(['2026-12-05 INFO Starting cluster', 'second line', 'third']);
    b.append('tail without newline');
    b.end();
    expect(b.lines()).toEqual(['2026-12-05 INFO Starting cluster', 'second line', 'third', 'tail without newline']);
  });

  it('keeps only the last `capacity` lines of a long log and counts the dropped ones', () => {
    const b = new LogBuffer(1000);
    let text = '';
    for (let i = 1; i <= 100_000; i++) {
      text += `line ${i}\n`;
      if (i % 777 === 0) {
        b.append(text);
        text = '';
      }
    }
    b.append(text);
    expect(b.size).toBe(1000);
    expect(b.dropped).toBe(99_000);
    expect(b.line(0)).toBe('line 99001');
    expect(b.line(999)).toBe('line 100000');
  });

  it('search finds lines in the window, case-insensitively', () => {
    const b = new LogBuffer(3);
    b.append('INFO a\nWARN checkpoint failed\nINFO Completed checkpoint 1\nINFO Completed Checkpoint 2\n');
    expect(b.lines()).toEqual(['WARN checkpoint failed', 'INFO Completed checkpoint 1', 'INFO Completed Checkpoint 2']);
    expect(matchingLines(b, 'completed checkpoint')).toEqual([1, 2]);
    expect(matchingLines(b, '')).toEqual([0, 1, 2]);
  });
});
