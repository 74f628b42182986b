// Diagnostics: errors as data (code, what, where, why, fix), rendered as text only at the edge.

/** Where a problem is: a file, a JSON pointer into it, and a line/column when known (1-based). */
export interface Location {
  file?: string;
  pointer?: string;
  line?: number;
  column?: number;
}

/** One problem found while reading or analysing input. Never holds a value from the plan, only structure. */
export interface Diagnostic {
  /** Stable code, documented in docs/errors.md (BG1xxx plan input, BG2xxx policy, BG3xxx graph/sources, BG9xxx internal). */
  code: string;
  severity: "error" | "warning" | "note";
  /** What is wrong, one line, standing alone. */
  message: string;
  location?: Location;
  why?: string;
  fix?: string;
}

/** An error that carries a Diagnostic; thrown by readers, caught by the CLI and rendered. */
export class BlastgateError extends Error {
  readonly diagnostic: Diagnostic;
  constructor(diagnostic: Diagnostic, options?: { cause?: unknown }) {
    super(diagnostic.message, options);
    this.name = "BlastgateError";
    this.diagnostic = diagnostic;
  }
}

/** Builds a BlastgateError with severity "error". */
export function fail(code: string, message: string, rest: Omit<Diagnostic, "code" | "message" | "severity"> = {}): BlastgateError {
  return new BlastgateError({ code, severity: "error", message, ...rest });
}

export function isBlastgateError(e: unknown): e is BlastgateError {
  return e instanceof BlastgateError;
}

/** Renders a location as `file:line:col at /pointer`. */
export function formatLocation(loc: Location): string {
  let out = loc.file ?? "<input>";
  if (loc.line !== undefined) {
    out += `:${loc.line}`;
    if (loc.column !== undefined) out += `:${loc.column}`;
  }
  if (loc.pointer !== undefined) out += `  at ${loc.pointer === "" ? "/" : loc.pointer}`;
  return out;
}

/** Renders a diagnostic as text, rustc-style: `error[CODE]: message`, then location, why and fix lines. */
export function renderDiagnostic(d: Diagnostic): string {
  const lines = [`${d.severity}[${d.code}]: ${d.message}`];
  if (d.location) lines.push(`  --> ${formatLocation(d.location)}`);
  if (d.why) lines.push(`   = why: ${d.why}`);
  if (d.fix) lines.push(`   = fix: ${d.fix}`);
  return lines.join("\n");
}
