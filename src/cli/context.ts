// What a command needs from the process, passed in so commands stay testable.

import type { Stages } from "./flow.js";
import type { Progress } from "./progress.js";

export interface CommandContext {
  /** The flow's stages (tests replace one to inject a failure). */
  stages: Stages;
  stdinIsTTY: boolean;
  color: boolean;
  width: number;
  debug: boolean;
  usageError(message: string): void;
  /** A progress display on stderr (a no-op unless stderr is a terminal outside CI). */
  progress(): Progress;
}
