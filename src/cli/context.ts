// What a command needs from the process, passed in so commands stay testable.

import type { Stages } from "./flow.js";

export interface CommandContext {
  /** The flow's stages (tests replace one to inject a failure). */
  stages: Stages;
  stdinIsTTY: boolean;
  color: boolean;
  width: number;
  debug: boolean;
  usageError(message: string): void;
}
