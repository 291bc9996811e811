// A Logger that keeps every line, so specs can assert what was (and was not) logged.
import type { Logger } from '../../lib/core/logger';

export interface LogLine {
  level: 'info' | 'warn' | 'error';
  message: string;
  fields: Record<string, unknown> | undefined;
}

export interface RecordingLogger extends Logger {
  lines: LogLine[];
  /** Every line as one string, to search for text that must never be logged. */
  dump(): string;
}

export function recordingLogger(): RecordingLogger {
  const lines: LogLine[] = [];
  const record = (level: LogLine['level']) => (message: string, fields?: Record<string, unknown>) => {
    lines.push({ level, message, fields });
  };
  return {
    lines,
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
    dump: () => lines.map((line) => `${line.level} ${line.message} ${JSON.stringify(line.fields ?? {})}`).join('\n'),
  };
}
