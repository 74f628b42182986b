// Atlantis: the environment of a custom workflow `run` step (runatlantis.io/docs/custom-workflows#native-environment-variables)
// and the shape of output its custom policy check reads.

export interface AtlantisEnv {
  /** Absolute path of the project directory (the step's working directory). */
  dir?: string;
  repoRelDir?: string;
  workspace?: string;
  projectName?: string;
  pullNum?: number;
  pullUrl?: string;
  pullAuthor?: string;
  headCommit?: string;
  headBranch?: string;
  baseBranch?: string;
  baseRepoOwner?: string;
  baseRepoName?: string;
  user?: string;
  terraformVersion?: string;
  /** The binary plan (`-out $PLANFILE`) and its `show -json` (written by the `show` step). */
  planFile?: string;
  showFile?: string;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === "" ? undefined : v;
}

/** True when the process runs as an Atlantis workflow step (Atlantis sets these for every `run` step). */
export function isAtlantis(env: NodeJS.ProcessEnv): boolean {
  return nonEmpty(env.ATLANTIS_TERRAFORM_VERSION) !== undefined && (nonEmpty(env.PLANFILE) !== undefined || nonEmpty(env.SHOWFILE) !== undefined);
}

export function atlantisEnv(env: NodeJS.ProcessEnv): AtlantisEnv {
  const out: AtlantisEnv = {};
  const pairs: [keyof AtlantisEnv, string][] = [
    ["dir", "DIR"],
    ["repoRelDir", "REPO_REL_DIR"],
    ["workspace", "WORKSPACE"],
    ["projectName", "PROJECT_NAME"],
    ["pullUrl", "PULL_URL"],
    ["pullAuthor", "PULL_AUTHOR"],
    ["headCommit", "HEAD_COMMIT"],
    ["headBranch", "HEAD_BRANCH_NAME"],
    ["baseBranch", "BASE_BRANCH_NAME"],
    ["baseRepoOwner", "BASE_REPO_OWNER"],
    ["baseRepoName", "BASE_REPO_NAME"],
    ["user", "USER_NAME"],
    ["terraformVersion", "ATLANTIS_TERRAFORM_VERSION"],
    ["planFile", "PLANFILE"],
    ["showFile", "SHOWFILE"],
  ];
  for (const [k, name] of pairs) {
    const v = nonEmpty(env[name]);
    if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  }
  const pull = nonEmpty(env.PULL_NUM);
  if (pull !== undefined && /^\d+$/.test(pull)) out.pullNum = Number(pull);
  return out;
}

/**
 * Atlantis's custom policy check passes a policy set unless the tool exits non-zero or its output contains "fail"
 * (runatlantis.io/docs/custom-policy-checks: "custom policy tool output is simply parsed for \"fail\" substrings").
 * So a passing report must not contain the word anywhere (an address like `aws_instance.failover` would otherwise
 * fail the check): it is broken with a zero-width joiner, invisible in the comment. A failing report is left as it
 * is and always says "failed".
 */
export function atlantisPolicyOutput(text: string, passed: boolean): string {
  if (!passed) return /fail/.test(text) ? text : `${text}\nblastgate: the gate failed\n`;
  return text.replace(/(f)(ail)/gi, "$1\u200d$2");
}
