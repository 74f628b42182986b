// What a command needs from the process, passed in so commands stay testable.

export interface CommandContext {
  stdinIsTTY: boolean;
  color: boolean;
  width: number;
  debug: boolean;
  usageError(message: string): void;
}
