import { userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { IncomingMessage, Reply } from '../../core/model/message.js';
import type { Engine } from '../../core/ports/engine.js';
import { renderForTerminal } from './render.js';

export interface TerminalOptions {
  input: Readable;
  output: Writable;
  /** Colour and a prompt only on a real terminal. */
  interactive: boolean;
  userName?: string;
}

/** Lines that are sent at once even while an answer is being typed: bare commands, or explicit `/command ...`. */
const IMMEDIATE = /^(?:[/!]\S.*|help|hint|skip|next|repeat|end|stop|progress|settings|leaderboard|forget me)$/i;

/** Single command words that never start an answer line. */
const BARE = /^(help|hint|skip|next|repeat|end|progress|settings|leaderboard)$/i;

/** The engine as the terminal sees it: it also tells whether an answer is awaited. */
export interface TerminalEngine extends Engine {
  answerState?(userId: string): { awaiting: boolean; pendingChars: number; hintsUsed: number };
}
const QUIT = /^(?:quit|exit|:q|bye)$/i;

function defaultUser(): string {
  try {
    return userInfo().username || 'local';
  } catch {
    return process.env.USER ?? 'local';
  }
}

/**
 * The terminal is an adapter like any other: lines in, engine replies out. While a question is
 * waiting for an answer, lines are collected until an empty line, so answers can span lines.
 */
export class TerminalChat {
  private readonly userName: string;
  private awaitingAnswer = false;
  private buffer: string[] = [];

  constructor(
    private readonly engine: TerminalEngine,
    private readonly options: TerminalOptions,
  ) {
    this.userName = options.userName ?? defaultUser();
  }

  private message(text: string, action?: IncomingMessage['action']): IncomingMessage {
    return {
      platform: 'terminal',
      userId: `terminal:${this.userName}`,
      userName: this.userName,
      conversation: { channelId: 'terminal', isDirect: true },
      text,
      ...(action ? { action } : {}),
    };
  }

  private get userId(): string {
    return `terminal:${this.userName}`;
  }

  private print(replies: Reply[]): void {
    for (const value of replies) this.options.output.write(`${renderForTerminal(value, this.options.interactive)}\n`);
    this.refreshState(replies);
  }

  /** Asks the engine (the source of truth) whether an answer is awaited; guesses from replies otherwise. */
  private refreshState(replies: Reply[] = []): void {
    const state = this.engine.answerState?.(this.userId);
    if (state) {
      this.awaitingAnswer = state.awaiting;
      return;
    }
    const last = replies.at(-1);
    if (last) this.awaitingAnswer = last.kind === 'question' || last.kind === 'follow-up' || (last.kind === 'info' && this.awaitingAnswer);
    if (replies.some((value) => value.kind === 'summary')) this.awaitingAnswer = false;
  }

  private prompt(): void {
    if (!this.options.interactive) return;
    this.options.output.write(this.awaitingAnswer ? (this.buffer.length ? '… ' : 'answer> ') : '> ');
  }

  private async send(text: string): Promise<void> {
    this.print(await this.engine.handle(this.message(text)));
  }

  /** Runs until `quit` or end of input; resolves when every line has been handled. */
  async run(): Promise<void> {
    const resumed = await this.engine.handle(this.message('', { id: 'repeat' }));
    const stillOpen = this.engine.answerState ? this.engine.answerState(this.userId).awaiting : resumed[0]?.kind !== 'error';
    if (resumed.length && stillOpen) {
      const state = this.engine.answerState?.(this.userId);
      const extras = [
        state?.hintsUsed ? `${state.hintsUsed} hint${state.hintsUsed === 1 ? '' : 's'} used on this question` : '',
        state?.pendingChars ? `${state.pendingChars} characters of your answer are kept; type the rest and finish with an empty line` : '',
      ].filter(Boolean);
      this.options.output.write(`Resuming where you left off${extras.length ? ` (${extras.join('; ')})` : ''}.\n\n`);
      this.print(resumed);
    } else {
      // An interview that expired while away is summarised before the welcome.
      const expired = resumed.filter((value) => value.kind !== 'error');
      if (expired.length) this.print(expired);
      this.options.output.write('mle-coach — mock interviews and coaching for ML engineers (offline mode unless an API key is set).\nType `help` for commands, `interview` to start, `quit` to leave.\n\n');
    }
    this.prompt();
    const lines = createInterface({ input: this.options.input, terminal: false, crlfDelay: Infinity });
    for await (const raw of lines) {
      const line = raw.replace(/\s+$/, '');
      if (QUIT.test(line.trim())) {
        // A half-typed answer is kept as the start of the answer, not graded and not lost.
        if (this.buffer.length) await this.send(`... ${this.buffer.join('\n')}`);
        this.buffer = [];
        break;
      }
      if (!this.awaitingAnswer) {
        if (line.trim()) await this.send(line);
      } else if (IMMEDIATE.test(line.trim()) && (this.buffer.length === 0 || BARE.test(line.trim()))) {
        // A bare command typed mid-answer runs at once; the lines typed so far stay in the answer
        // while a question is still waiting for it.
        await this.send(line.trim());
        if (!this.awaitingAnswer) this.buffer = [];
      } else if (line.trim() === '') {
        if (this.buffer.length) {
          const answer = this.buffer.join('\n');
          this.buffer = [];
          await this.send(answer);
        }
      } else {
        this.buffer.push(line);
      }
      this.prompt();
    }
    if (this.buffer.length) {
      const answer = this.buffer.join('\n');
      this.buffer = [];
      await this.send(answer);
    }
    this.options.output.write('Bye — your progress is saved.\n');
  }
}
