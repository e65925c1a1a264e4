import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted reply of the fake: JSON content for the assistant message, or an HTTP error, optionally slow. */
export type Script =
  | { content: unknown; delayMs?: number }
  | { rawContent: string; delayMs?: number }
  | { status: number; body?: unknown; delayMs?: number };

export interface RecordedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: {
    model?: string;
    messages?: { role: string; content: string }[];
    response_format?: { type: string; json_schema?: { name: string; schema: unknown } };
    [key: string]: unknown;
  };
}

/** A fake OpenAI-compatible server on 127.0.0.1: POST /v1/chat/completions answers from a script queue. */
export class FakeOpenAI {
  readonly requests: RecordedRequest[] = [];
  private readonly queue: Script[] = [];
  private fallbackScript: Script | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  private server: Server | undefined;
  baseURL = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.baseURL = `http://127.0.0.1:${port}/v1`;
    return this;
  }

  /** Queue replies, used in order; `always` answers every request after the queue empties. */
  script(...scripts: Script[]): this {
    this.queue.push(...scripts);
    return this;
  }

  always(script: Script): this {
    this.fallbackScript = script;
    return this;
  }

  reset(): void {
    this.queue.length = 0;
    this.requests.length = 0;
    this.fallbackScript = undefined;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body = text ? (JSON.parse(text) as RecordedRequest['body']) : {};
    this.requests.push({ path: req.url ?? '', headers: req.headers, body });
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      return this.send(res, 404, { error: { message: 'not found', type: 'invalid_request_error', code: 'not_found' } });
    }
    const script = this.queue.shift() ?? this.fallbackScript ?? { status: 500, body: { error: { message: 'no script', type: 'server_error' } } };
    const reply = () => {
      if ('status' in script) return this.send(res, script.status, script.body ?? { error: { message: `status ${script.status}`, type: 'server_error' } });
      const content = 'rawContent' in script ? script.rawContent : JSON.stringify(script.content);
      return this.send(res, 200, {
        id: `chatcmpl-${this.requests.length}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: body.model ?? 'fake',
        choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop', logprobs: null }],
        usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 },
      });
    };
    if (script.delayMs) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (!res.destroyed) reply();
      }, script.delayMs);
      this.timers.add(timer);
    } else reply();
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  /** The user message of a recorded request. */
  userMessage(index = -1): string {
    const request = this.requests.at(index);
    return request?.body.messages?.find((message) => message.role === 'user')?.content ?? '';
  }
}
