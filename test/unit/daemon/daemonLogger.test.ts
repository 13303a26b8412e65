import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDaemonLog } from '../../../src/daemon/daemonLogger.js';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('openDaemonLog in a terminal (stdout is not the log file)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('writes the lines of one turn in one write to stdout, in order', async () => {
    const log = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const out = openDaemonLog(join(tmpdir(), `ccb-not-stdout-${process.pid}.log`), 1024);
    out.write('a');
    out.write('b');
    out.write('c');
    expect(log).not.toHaveBeenCalled();
    await nextTurn();
    expect(log.mock.calls).toEqual([['a\nb\nc\n']]);
    out.write('d');
    await nextTurn();
    expect(log.mock.calls).toEqual([['a\nb\nc\n'], ['d\n']]);
    out.close();
  });

  it('writes what is queued when closed', () => {
    const log = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const out = openDaemonLog(join(tmpdir(), `ccb-not-stdout-${process.pid}.log`), 1024);
    out.write('last words');
    out.close();
    expect(log.mock.calls).toEqual([['last words\n']]);
  });
});
