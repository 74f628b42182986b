// blastgate's own version, read from package.json (the same relative path from src/ and dist/).

import { readFileSync } from "node:fs";

export const VERSION: string = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;
