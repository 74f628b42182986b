// The change's context from text: commit trailers (Allow-Destroy, AI-Assisted, Co-authored-by) and the allow-destroy
// file. Pure: the git and file reads live in read.ts.

import type { IntentDeclaration } from "./model.js";

/**
 * Names that mark a `Co-authored-by` (or `Assisted-by`, `Generated-by`) line as a coding assistant, matched as whole
 * words in the name or e-mail, case-insensitively. Human first names that are also product names (Devin, Jules, Cody)
 * are matched only in their bot forms. Policies add more with `ai_assistants`.
 */
export const DEFAULT_AI_ASSISTANTS: readonly string[] = [
  "aider",
  "amazon q",
  "anthropic",
  "chatgpt",
  "claude",
  "cline",
  "codeium",
  "codewhisperer",
  "codex",
  "copilot",
  "cursor",
  "cursoragent",
  "devin-ai-integration",
  "gemini",
  "google-labs-jules",
  "openai",
  "tabnine",
  "windsurf",
];

export interface Trailer {
  /** Lower-cased key, for matching. */
  key: string;
  /** The key as written. */
  name: string;
  value: string;
}

/**
 * The trailers of a commit message: `Key: value` lines of its last paragraph (as `git interpret-trailers` reads them;
 * lines that are not trailers are skipped, a paragraph with none gives none). Keys are case-insensitive.
 */
export function parseTrailers(message: string): Trailer[] {
  const paragraphs = message.replace(/\r\n/g, "\n").trim().split(/\n\s*\n/);
  if (paragraphs.length < 2) return [];
  const last = paragraphs[paragraphs.length - 1]!;
  const out: Trailer[] = [];
  for (const line of last.split("\n")) {
    const m = /^([A-Za-z0-9][A-Za-z0-9-]*)\s*:\s*(.*)$/.exec(line.trim());
    if (m) out.push({ key: m[1]!.toLowerCase(), name: m[1]!, value: m[2]!.trim() });
  }
  return out;
}

/** Splits an allow-destroy value into globs: commas or whitespace, but not inside `["quoted keys"]`. */
export function splitGlobs(value: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === "\\" && quoted && i + 1 < value.length) {
      cur += c + value[++i];
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (!quoted && (c === "," || /\s/.test(c))) {
      if (cur !== "") out.push(cur);
      cur = "";
    } else cur += c;
  }
  if (cur !== "") out.push(cur);
  return out;
}

const TRUE = new Set(["true", "yes", "y", "1", "on"]);

function mentionsAssistant(text: string, assistants: readonly string[]): string | undefined {
  const lower = text.toLowerCase();
  return assistants.find((a) => {
    const re = new RegExp(`(^|[^a-z0-9])${a.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[^a-z0-9])`);
    return re.test(lower);
  });
}

export interface CommitContext {
  allowDestroy: string[];
  aiAssisted: boolean;
  /** The trailer lines that said so (`AI-Assisted: true`, `Co-authored-by: Claude <...>`). */
  aiEvidence: string[];
}

/**
 * Reads the context of one or more commit messages (all commits of a change count): `Allow-Destroy:` globs,
 * `AI-Assisted: true`, and co-author / assisted-by lines naming a coding assistant.
 */
export function parseCommitMessages(messages: readonly string[], opts: { aiAssistants?: readonly string[] } = {}): CommitContext {
  const assistants = [...DEFAULT_AI_ASSISTANTS, ...(opts.aiAssistants ?? [])];
  const allowDestroy: string[] = [];
  const aiEvidence: string[] = [];
  for (const message of messages) {
    for (const t of parseTrailers(message)) {
      const line = `${t.name}: ${t.value}`;
      if (t.key === "allow-destroy") allowDestroy.push(...splitGlobs(t.value));
      else if (t.key === "ai-assisted" && TRUE.has(t.value.toLowerCase())) aiEvidence.push(line);
      else if (t.key === "co-authored-by" || t.key === "assisted-by" || t.key === "generated-by") {
        if (mentionsAssistant(t.value, assistants) !== undefined) aiEvidence.push(line);
      }
    }
  }
  return { allowDestroy: [...new Set(allowDestroy)], aiAssisted: aiEvidence.length > 0, aiEvidence: [...new Set(aiEvidence)] };
}

/** The context of a single commit message. */
export function parseCommitMessage(message: string, opts: { aiAssistants?: readonly string[] } = {}): CommitContext {
  return parseCommitMessages([message], opts);
}

/** Parses an allow-destroy file: one or more globs per line, `#` starts a comment. */
export function parseAllowDestroyFile(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.replace(/(^|\s)#.*$/, "").trim())
    .filter((l) => l !== "")
    .flatMap(splitGlobs);
}

/** Merges declarations, dropping empty ones. */
export function declarations(...decls: (IntentDeclaration | undefined)[]): IntentDeclaration[] {
  return decls.filter((d): d is IntentDeclaration => d !== undefined && d.patterns.length > 0);
}
