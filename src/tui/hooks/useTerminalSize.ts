import { useStdout } from 'ink';
import { useEffect, useState } from 'react';
import type { Size } from '../view/layout.js';

const FALLBACK: Size = { columns: 80, rows: 24 };

const measure = (stdout: NodeJS.WriteStream): Size => ({
  columns: stdout.columns || FALLBACK.columns,
  rows: stdout.rows || FALLBACK.rows,
});

/** The terminal's size, updated on resize; `fixed` pins it (tests, non-TTY output). */
export function useTerminalSize(fixed?: Size): Size {
  const { stdout } = useStdout();
  const [size, setSize] = useState(() => measure(stdout));
  // Only whether a size is pinned matters to the subscription, not the pinned object's identity.
  const pinned = fixed !== undefined;
  useEffect(() => {
    if (pinned) return;
    const onResize = () => setSize(measure(stdout));
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, pinned]);
  return fixed ?? size;
}
