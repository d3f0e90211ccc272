import { LogLevel, type Logger } from '@slack/bolt';

/**
 * A Bolt/WebClient logger that keeps its lines instead of printing them, so a test's output stays
 * clean and a failing test can show what Bolt said.
 */
export function capturingLogger(): Logger & { lines: string[] } {
  const order = [LogLevel.DEBUG, LogLevel.INFO, LogLevel.WARN, LogLevel.ERROR];
  let level = LogLevel.INFO;
  const lines: string[] = [];
  const at = (l: LogLevel) => (...msg: unknown[]) => {
    if (order.indexOf(l) < order.indexOf(level)) return;
    lines.push(`${l}: ${msg.map((m) => (m instanceof Error ? m.message : typeof m === 'string' ? m : JSON.stringify(m))).join(' ')}`);
  };
  return {
    lines,
    debug: at(LogLevel.DEBUG),
    info: at(LogLevel.INFO),
    warn: at(LogLevel.WARN),
    error: at(LogLevel.ERROR),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
