import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * A local fake of Slack's Web API (`/api/<method>`), of response_url endpoints (`/response/<id>`) and of the
 * Socket Mode websocket (`/socket`). It records every call and answers like Slack: HTTP 200 with `{ok: ...}`,
 * or 429 with `Retry-After` when a test scripts it.
 */

export interface RecordedCall {
  method: string;
  /** Parsed parameters; JSON-valued fields (`blocks`, `view`) are parsed too. */
  params: Record<string, unknown>;
  /** Token from the Authorization header or the body. */
  token?: string;
  at: number;
  /** What the fake answered (e.g. the `ts` of a posted message). */
  response?: Record<string, unknown>;
}

export interface FakeResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: Record<string, unknown>;
}

/** Returns a response to override the default, or undefined to let the default answer. */
export type FakeHandler = (call: RecordedCall) => FakeResponse | undefined;

export interface FakeSlackOptions {
  botToken?: string;
  appToken?: string;
  botUserId?: string;
  botId?: string;
  teamId?: string;
  /** Slack user ids that users.info reports as workspace admins. */
  admins?: readonly string[];
}

export interface SocketAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

const JSON_FIELDS = new Set(['blocks', 'view', 'attachments', 'metadata']);

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseParams(raw: string, contentType: string): Record<string, unknown> {
  if (!raw) return {};
  if (contentType.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const params: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    params[key] = JSON_FIELDS.has(key) ? (JSON.parse(value) as unknown) : value;
  }
  return params;
}

export class FakeSlack {
  readonly calls: RecordedCall[] = [];
  readonly botToken: string;
  readonly appToken: string;
  readonly botUserId: string;
  readonly teamId: string;
  private readonly botId: string;
  private readonly admins: Set<string>;
  private readonly handlers: FakeHandler[] = [];
  private readonly sockets = new Set<WebSocket>();
  private readonly pendingAcks = new Map<string, (ack: SocketAck) => void>();
  private readonly wss = new WebSocketServer({ noServer: true });
  private tsCounter = 0;
  /** Messages the app posted, by ts (for conversations.replies). */
  private readonly posted = new Map<string, Record<string, unknown>>();
  private envelopeCounter = 0;
  /** How many websocket connections were opened (reconnects included). */
  socketConnections = 0;

  private constructor(
    private readonly server: Server,
    options: FakeSlackOptions,
  ) {
    this.botToken = options.botToken ?? 'xoxb-test-bot-token';
    this.appToken = options.appToken ?? 'xapp-test-app-token';
    this.botUserId = options.botUserId ?? 'UBOT';
    this.botId = options.botId ?? 'BBOT';
    this.teamId = options.teamId ?? 'T1';
    this.admins = new Set(options.admins ?? []);
  }

  static async start(options: FakeSlackOptions = {}): Promise<FakeSlack> {
    const server = createServer();
    const fake = new FakeSlack(server, options);
    server.on('request', (request, response) => {
      fake.onRequest(request, response).catch((error: unknown) => {
        response.writeHead(500).end(String(error));
      });
    });
    server.on('upgrade', (request, socket, head) => {
      if (!request.url?.startsWith('/socket')) {
        socket.destroy();
        return;
      }
      fake.wss.handleUpgrade(request, socket, head, (ws) => fake.onSocket(ws));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return fake;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Value for SLACK_API_URL. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  responseUrl(id: string): string {
    return `http://127.0.0.1:${this.port}/response/${id}`;
  }

  /** Adds a handler consulted before the defaults (most recent first). */
  intercept(handler: FakeHandler): () => void {
    this.handlers.unshift(handler);
    return () => {
      const index = this.handlers.indexOf(handler);
      if (index >= 0) this.handlers.splice(index, 1);
    };
  }

  /** The next `count` calls to `method` (matching `when`) get `response`. */
  failNext(method: string, response: FakeResponse, count = 1, when: (call: RecordedCall) => boolean = () => true): void {
    let left = count;
    this.intercept((call) => {
      if (left <= 0 || call.method !== method || !when(call)) return undefined;
      left -= 1;
      return response;
    });
  }

  /** Puts a message in the channel history, as if posted earlier (e.g. before the app restarted); returns its ts. */
  seedMessage(message: Record<string, unknown>): string {
    const ts = this.nextTs();
    this.posted.set(ts, { type: 'message', ts, ...message });
    return ts;
  }

  /** The `ts` Slack gave a posted message. */
  static tsOf(call: RecordedCall | undefined): string {
    const ts = call?.response?.ts;
    if (typeof ts !== 'string') throw new Error(`no ts in the answer to ${call?.method ?? 'a missing call'}`);
    return ts;
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** Waits until `count` calls to `method` (matching `when`) were recorded. */
  async waitForCalls(method: string, count = 1, when: (call: RecordedCall) => boolean = () => true, timeoutMs = 5000): Promise<RecordedCall[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const matching = this.callsTo(method).filter(when);
      if (matching.length >= count) return matching;
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${count} ${method} call(s); got ${matching.length}. Calls: ${this.calls.map((call) => call.method).join(', ')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---------------------------------------------------------------- Socket Mode

  get connectedSockets(): number {
    return [...this.sockets].filter((socket) => socket.readyState === socket.OPEN).length;
  }

  /** Sends a Socket Mode envelope and resolves with the app's ack. */
  sendEnvelope(
    type: 'events_api' | 'slash_commands' | 'interactive',
    payload: Record<string, unknown>,
    extra: { retryAttempt?: number; retryReason?: string } = {},
  ): Promise<SocketAck> {
    const socket = [...this.sockets].find((candidate) => candidate.readyState === candidate.OPEN);
    if (!socket) return Promise.reject(new Error('no Socket Mode connection'));
    this.envelopeCounter += 1;
    const envelopeId = `env-${this.envelopeCounter}`;
    const acked = new Promise<SocketAck>((resolve) => this.pendingAcks.set(envelopeId, resolve));
    socket.send(
      JSON.stringify({
        envelope_id: envelopeId,
        type,
        payload,
        accepts_response_payload: type !== 'events_api',
        ...(extra.retryAttempt !== undefined ? { retry_attempt: extra.retryAttempt, retry_reason: extra.retryReason ?? 'timeout' } : {}),
      }),
    );
    return acked;
  }

  /** Asks the app to reconnect, as Slack does when it recycles a connection. */
  sendDisconnect(): void {
    for (const socket of this.sockets) socket.send(JSON.stringify({ type: 'disconnect', reason: 'refresh_requested' }));
  }

  private onSocket(socket: WebSocket): void {
    this.socketConnections += 1;
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('message', (data) => {
      const ack = JSON.parse(String(data)) as SocketAck;
      this.pendingAcks.get(ack.envelope_id)?.(ack);
      this.pendingAcks.delete(ack.envelope_id);
    });
    socket.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A1' } }));
  }

  // ---------------------------------------------------------------- Web API

  private async onRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(request);
    const params = parseParams(raw, String(request.headers['content-type'] ?? ''));
    const auth = String(request.headers.authorization ?? '');
    const token = auth.startsWith('Bearer ') ? auth.slice('Bearer '.length) : typeof params.token === 'string' ? params.token : undefined;
    const responseMatch = /^\/response\/(.+)$/.exec(url.pathname);
    const apiMatch = /^\/api\/(.+)$/.exec(url.pathname);
    const method = responseMatch ? 'response_url' : (apiMatch?.[1] ?? url.pathname);
    const call: RecordedCall = { method, params: responseMatch ? { ...params, responseId: responseMatch[1] } : params, at: Date.now(), ...(token ? { token } : {}) };
    this.calls.push(call);
    const answer = this.answer(call);
    call.response = answer.body ?? {};
    response.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers });
    response.end(JSON.stringify(answer.body ?? {}));
  }

  private answer(call: RecordedCall): FakeResponse {
    for (const handler of [...this.handlers]) {
      const scripted = handler(call);
      if (scripted) return scripted;
    }
    if (call.method === 'response_url') return { body: { ok: true } };
    if (call.method === 'apps.connections.open') {
      return call.token === this.appToken ? { body: { ok: true, url: `ws://127.0.0.1:${this.port}/socket` } } : { body: { ok: false, error: 'invalid_auth' } };
    }
    if (call.token !== this.botToken) return { body: { ok: false, error: 'invalid_auth' } };
    return { body: this.defaultBody(call) };
  }

  private nextTs(): string {
    this.tsCounter += 1;
    return `1700000000.${String(this.tsCounter).padStart(6, '0')}`;
  }

  private defaultBody(call: RecordedCall): Record<string, unknown> {
    const { params } = call;
    switch (call.method) {
      case 'auth.test':
        return { ok: true, url: 'https://test.slack.com/', team: 'Test', user: 'mle-coach', team_id: this.teamId, user_id: this.botUserId, bot_id: this.botId };
      case 'chat.postMessage': {
        const ts = this.nextTs();
        const message = {
          type: 'message',
          user: this.botUserId,
          bot_id: this.botId,
          text: params.text,
          ts,
          thread_ts: params.thread_ts,
          ...(params.blocks ? { blocks: params.blocks } : {}),
          ...(params.metadata ? { metadata: params.metadata } : {}),
        };
        this.posted.set(ts, message);
        return { ok: true, channel: params.channel, ts, message };
      }
      case 'conversations.replies': {
        const parent = this.posted.get(String(params.ts));
        if (!parent) return { ok: false, error: 'thread_not_found' };
        const withMetadata = params.include_all_metadata === 'true' || params.include_all_metadata === true;
        const { metadata, ...rest } = parent;
        return { ok: true, messages: [withMetadata && metadata ? { ...rest, metadata } : rest], has_more: false };
      }
      case 'chat.postEphemeral':
        return { ok: true, message_ts: this.nextTs() };
      case 'chat.update':
        return { ok: true, channel: params.channel, ts: params.ts };
      case 'views.open':
      case 'views.publish':
      case 'views.update':
        return { ok: true, view: { id: `V${this.calls.length}`, ...(params.view as object) } };
      case 'users.info': {
        const id = String(params.user);
        return { ok: true, user: { id, name: `user-${id}`, real_name: `User ${id}`, is_admin: this.admins.has(id), is_owner: false, profile: { display_name: `user-${id}` } } };
      }
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(params.users).replace(/^U/, '')}` } };
      case 'conversations.join':
        return { ok: true, channel: { id: params.channel } };
      case 'reactions.add':
        return { ok: true };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }
}
