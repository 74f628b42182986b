#!/usr/bin/env node
// Thin shim: all behaviour lives in dist/cli (built from src/cli).
import { main } from "../dist/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
