#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { errorRule, EXIT_USAGE } from '../service/errors.js';
import { backtestCommand } from './commands/backtest.js';
import { drawsCommand } from './commands/draws.js';
import { exportCommand } from './commands/export.js';
import { fairnessCommand } from './commands/fairness.js';
import { importCommand } from './commands/import.js';
import { keysCommand } from './commands/keys.js';
import { modelsCommand } from './commands/models.js';
import { notifyCommand } from './commands/notify.js';
import { popularityCommand } from './commands/popularity.js';
import { predictCommand } from './commands/predict.js';
import { serveCommand } from './commands/serve.js';
import { statsCommand } from './commands/stats.js';
import { syncCommand } from './commands/sync.js';
import { ticketsCommand } from './commands/tickets.js';
import { trainCommand } from './commands/train.js';
import { defaultCliContext, type CliContext } from './context.js';
import { wheelCommand } from './commands/wheel.js';
import { CliFailure, UsageError } from './errors.js';
import { HOGI_VERSION } from '../data/version.js';

export function buildProgram(ctx: CliContext = defaultCliContext): Command {
  const program = new Command('hogi')
    .description('Korean Lotto 6/45 (동행복권 로또) history, statistics and honest number sets per draw machine (호기)')
    .version(HOGI_VERSION)
    .option('--db <path>', 'SQLite database file (env HOGI_DB; default ./data/hogi.db)')
    .option('--no-snapshot', 'leave an empty database empty instead of loading the history that ships with hogi (env HOGI_SNAPSHOT=0)')
    .showSuggestionAfterError(true);
  program.addCommand(drawsCommand());
  program.addCommand(statsCommand());
  program.addCommand(importCommand());
  program.addCommand(exportCommand());
  program.addCommand(syncCommand());
  program.addCommand(serveCommand());
  program.addCommand(trainCommand());
  program.addCommand(predictCommand(ctx));
  program.addCommand(modelsCommand());
  program.addCommand(backtestCommand());
  program.addCommand(fairnessCommand());
  program.addCommand(keysCommand());
  program.addCommand(wheelCommand(ctx));
  program.addCommand(ticketsCommand());
  program.addCommand(notifyCommand());
  program.addCommand(popularityCommand());
  return program;
}

/** Every command (and sub-command) reports bad arguments as one line and exit code 2. */
function configure(cmd: Command): void {
  cmd.exitOverride();
  cmd.configureOutput({ outputError: (str, write) => write(str.split('\n')[0] + '\n') });
  for (const sub of cmd.commands) configure(sub);
}

export async function run(argv: string[], ctx: CliContext = defaultCliContext): Promise<number> {
  const program = buildProgram(ctx);
  configure(program);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return EXIT_USAGE;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`error: ${e.message}\n`);
      return EXIT_USAGE;
    }
    // Domain and service refusals: the exit code of the one error table (service/errors.ts).
    const rule = errorRule(e);
    if (rule && e instanceof Error) {
      process.stderr.write(`error: ${e.message}\n`);
      return rule.exitCode;
    }
    if (e instanceof CliFailure) {
      process.stderr.write(`error: ${e.message}\n`);
      return e.exitCode;
    }
    process.stderr.write(`error: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}

const invokedDirectly = (() => {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
})();

if (invokedDirectly) {
  run(process.argv).then((code) => {
    process.exitCode = code;
  });
}
