#!/usr/bin/env node
import { run } from '../dist/src/cli/main.js';

run(process.argv.slice(2)).then(
  (code) => {
    if (typeof code === 'number') process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`mle-coach: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
