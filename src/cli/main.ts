import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { hasDiscord, hasSlack, type Config } from '../config/schema.js';
import { loadConfig, redactSecrets } from '../config/load.js';
import { createLogger } from '../app/logger.js';
import { kbCheck, kbStats, type Output } from './kb.js';
import type { Grader } from '../core/ports/grader.js';

const USAGE = `mle-coach — interview prep and coaching for ML engineers

Usage:
  mle-coach                      same as \`start\`
  mle-coach start                serve Slack/Discord when tokens are set, else the terminal chat
  mle-coach chat                 terminal chat (always)
  mle-coach serve                run every configured adapter + quiz scheduler + health endpoints
  mle-coach ask "QUESTION" [--json] [-k N]
  mle-coach ask --input FILE --json        JSON Lines of {"q": ...}
  mle-coach grade [--input FILE] [--json]  JSON Lines in (file or stdin), one JSON line out per input
  mle-coach kb build|check|stats [--json]
  mle-coach discord register [--clear]   register (or clear) the /coach slash command
  mle-coach help | --version
`;

const io: Output = { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text) };

interface Flags {
  json: boolean;
  input?: string;
  k?: number;
  rest: string[];
}

function parseFlags(args: string[]): Flags {
  const flags: Flags = { json: false, rest: [] };
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] ?? '';
    if (arg === '--json') flags.json = true;
    else if (arg === '--input' || arg === '-i') flags.input = args[++index];
    else if (arg.startsWith('--input=')) flags.input = arg.slice(8);
    else if (arg === '-k' || arg === '--k') flags.k = Number(args[++index]);
    else flags.rest.push(arg);
  }
  return flags;
}

/** Lines of a file or of stdin, one at a time, without loading everything into memory. */
async function* inputLines(file: string | undefined): AsyncGenerator<string> {
  const stream = file && file !== '-' ? createReadStream(file, 'utf8') : process.stdin;
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  for await (const line of lines) yield line;
}

export async function run(argv: string[]): Promise<number> {
  const [command = 'start', ...rest] = argv;
  if (command === 'help' || command === '--help' || command === '-h') {
    io.out(USAGE);
    return 0;
  }
  if (command === '--version' || command === 'version') {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    io.out(`${pkg.version}\n`);
    return 0;
  }
  const loaded = loadConfig();
  if (!loaded.ok) {
    io.err(`${loaded.error.message}\n`);
    return 1;
  }
  const config = loaded.value;
  const flags = parseFlags(rest);
  switch (command) {
    case 'kb':
      return kb(config, flags);
    case 'grade':
      return grade(config, flags);
    case 'ask':
      return ask(config, flags);
    case 'chat':
      return chat(config);
    case 'serve':
      return serve(config);
    case 'start':
      return hasSlack(config) || hasDiscord(config) ? serve(config) : chat(config);
    case 'discord': {
      if (flags.rest[0] !== 'register') break;
      const { registerDiscordCommands } = await import('../adapters/discord/register.js');
      const clear = flags.rest.includes('--clear');
      try {
        const result = await registerDiscordCommands(config, { clear });
        const where = result.scope === 'guild' ? `in guild ${result.guildId ?? ''} (visible now)` : 'globally (may take up to an hour to appear)';
        io.out(`${clear ? 'Cleared' : 'Registered'} /coach ${where}.\n`);
        return 0;
      } catch (error) {
        io.err(`Could not register the Discord commands: ${redactSecrets(error instanceof Error ? error.message : String(error), config)}\n`);
        return 1;
      }
    }
    default:
      break;
  }
  io.err(`Unknown command "${command}".\n\n${USAGE}`);
  return 2;
}

async function kb(config: Config, flags: Flags): Promise<number> {
  const sub = flags.rest[0];
  if (sub === 'check') return kbCheck(config, io);
  if (sub === 'stats') return kbStats(config, io, flags.json);
  if (sub === 'build') {
    const started = Date.now();
    const logger = createLogger(config, { level: 'warn' });
    const { loadKnowledgeBase, loadWordVectors, createRetrieval } = await import('../app/services.js');
    const { knowledge } = loadKnowledgeBase(config, logger);
    const vectors = await loadWordVectors(config, logger);
    await createRetrieval(config, knowledge, vectors, logger);
    io.out(`Index ready: ${knowledge.notes.length} notes, ${knowledge.notes.reduce((sum, note) => sum + note.sections.length, 0)} passages (${Date.now() - started} ms).\n`);
    return 0;
  }
  io.err('Usage: mle-coach kb build|check|stats [--json]\n');
  return 2;
}

async function grade(config: Config, flags: Flags): Promise<number> {
  const logger = createLogger(config, { level: 'warn' });
  const { loadKnowledgeBase, loadWordVectors, createOfflineGrader, rubricFromReference } = await import('../app/services.js');
  const { gradeLine } = await import('./gradeLines.js');
  const { knowledge } = loadKnowledgeBase(config, logger);
  const byId = new Map(knowledge.questions.map((question) => [question.id, question]));
  const vectors = await loadWordVectors(config, logger);
  const offline = createOfflineGrader(vectors, config.MLE_COACH_MAX_ANSWER_CHARS);
  let grader: Grader = offline;
  if (config.OPENAI_API_KEY || config.OPENAI_BASE_URL) {
    const { createLlmGrader } = await import('../llm/factory.js');
    grader = createLlmGrader(config, offline, logger);
  }
  let failed = 0;
  let lineNumber = 0;
  const out: string[] = [];
  for await (const line of inputLines(flags.input)) {
    lineNumber += 1;
    if (!line.trim()) continue;
    const result = await gradeLine(line, { grader, question: (id) => byId.get(id), rubricFromReference }, lineNumber);
    if ('error' in result) failed += 1;
    out.push(JSON.stringify(result));
    if (out.length >= 256) process.stdout.write(`${out.splice(0).join('\n')}\n`);
  }
  if (out.length) process.stdout.write(`${out.join('\n')}\n`);
  if (!flags.json && lineNumber === 0) io.err('No input: pipe JSON Lines to stdin or pass --input FILE.\n');
  return failed > 0 ? 2 : 0;
}

async function ask(config: Config, flags: Flags): Promise<number> {
  const logger = createLogger(config, { level: 'warn' });
  const { loadKnowledgeBase, loadWordVectors, createRetrieval } = await import('../app/services.js');
  const { knowledge } = loadKnowledgeBase(config, logger);
  const vectors = await loadWordVectors(config, logger);
  const { answerer: offline, retriever } = await createRetrieval(config, knowledge, vectors, logger);
  let answerer = offline;
  if (config.OPENAI_API_KEY || config.OPENAI_BASE_URL) {
    const { createLlmAnswerer } = await import('../llm/factory.js');
    answerer = createLlmAnswerer(config, offline, retriever, logger);
  }
  if (flags.k !== undefined && !(Number.isInteger(flags.k) && flags.k >= 1 && flags.k <= 20)) {
    io.err('-k takes a whole number from 1 to 20.\n');
    return 2;
  }
  const k = flags.k ?? 4;
  const format = (query: string, answer: Awaited<ReturnType<typeof answerer.answer>>) =>
    flags.json
      ? JSON.stringify({ query, answer: answer.answer, covered: answer.covered, answeredBy: answer.answeredBy, sources: answer.sources.map((source) => ({ id: source.id, title: source.title, path: source.path, text: source.text, score: Number(source.score.toFixed(4)) })) })
      : /(^|\n|\. )(Sources|Nearest notes|The nearest notes)[^\n]*:/i.test(answer.answer)
        ? `${answer.answer}\n`
        : `${answer.answer}\n\n${answer.covered ? 'Sources' : 'Nearest notes'}:\n${answer.sources.map((source, index) => `  ${index + 1}. ${source.title} › ${source.section} [${source.id}] (${source.path})`).join('\n')}\n`;
  if (flags.input) {
    let failed = 0;
    let lineNumber = 0;
    for await (const line of inputLines(flags.input)) {
      lineNumber += 1;
      if (!line.trim()) continue;
      let query: unknown;
      try {
        query = (JSON.parse(line) as { q?: unknown }).q;
      } catch {
        query = undefined;
      }
      if (typeof query !== 'string' || !query.trim()) {
        failed += 1;
        io.out(`${JSON.stringify({ error: `line ${lineNumber}: expected {"q": "..."}` })}\n`);
        continue;
      }
      io.out(`${format(query, await answerer.answer(query, { k }))}\n`);
    }
    return failed > 0 ? 2 : 0;
  }
  const query = flags.rest.join(' ').trim();
  if (!query) {
    io.err('Usage: mle-coach ask "QUESTION" [--json] [-k N]\n');
    return 2;
  }
  io.out(`${format(query, await answerer.answer(query, { k }))}\n`);
  return 0;
}

async function chat(config: Config): Promise<number> {
  // Chat output owns stdout; only warnings go to stderr.
  const logger = createLogger(config, { level: config.MLE_COACH_LOG_LEVEL === 'info' ? 'warn' : config.MLE_COACH_LOG_LEVEL });
  const { bootstrap } = await import('../app/bootstrap.js');
  const { TerminalChat } = await import('../adapters/terminal/terminal.js');
  const app = await bootstrap(config, { logger });
  // `mle-coach chat | head` closes the pipe early: leave quietly, state is already saved.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') void app.close().then(() => process.exit(0));
  });
  const terminal = new TerminalChat(app.engine, { input: process.stdin, output: process.stdout, interactive: Boolean(process.stdout.isTTY && process.stdin.isTTY) });
  let interrupted = false;
  const onSigint = () => {
    // State is committed before every reply, so leaving now loses nothing.
    interrupted = true;
    process.stdout.write('\nBye — your progress is saved.\n');
    void app.close().then(() => process.exit(0));
  };
  process.once('SIGINT', onSigint);
  await terminal.run();
  process.off('SIGINT', onSigint);
  if (!interrupted) await app.close();
  return 0;
}

async function serve(config: Config): Promise<number> {
  const { runServer } = await import('../server/serve.js');
  return runServer(config);
}
