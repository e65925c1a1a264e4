import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { FakeGateway } from './gateway.js';
import { snowflake } from './ids.js';
import { ChannelKind, Intent, type AttachmentJson, type FakeDiscordState, type FakeInteraction, type StoredMessage } from './state.js';
import { autocompleteSchema, check, checkMessageBody, commandsSchema, modalSchema, type Checked } from './validate.js';

export interface RecordedRequest {
  method: string;
  /** Path after `/api/v10`, percent-decoded (`@original`, not `%40original`). */
  path: string;
  query: URLSearchParams;
  body: unknown;
  files: { name: string; size: number }[];
  status: number;
  at: number;
}

export interface FailureRule {
  method: string;
  path: RegExp;
  status: number;
  code: number;
  message: string;
  remaining: number;
}

export interface RestOptions {
  /** When false, creating a private thread is refused with 50013 Missing Permissions. */
  privateThreads: boolean;
  /** An interaction not answered within this many ms is unknown (Discord: 3,000). */
  interactionDeadlineMs: number;
}

interface Call {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  files: { name: string; size: number }[];
}

interface Answer {
  status: number;
  body?: unknown;
}

type Handler = (call: Call) => Answer;

const error = (status: number, code: number, message: string, problems?: string[]): Answer => ({ status, body: { code, message, ...(problems ? { errors: problems } : {}) } });
const refused = (checked: Extract<Checked<unknown>, { ok: false }>): Answer => error(checked.status, checked.code, checked.message, checked.problems);
const json = (body: unknown, status = 200): Answer => ({ status, body });
const noContent: Answer = { status: 204 };

const callbackSchema = z.object({ type: z.number().int(), data: z.unknown().optional() });
const threadSchema = z.object({ name: z.string().min(1).max(100), type: z.number().int().optional(), invitable: z.boolean().optional(), auto_archive_duration: z.number().optional() });

/** The REST half of the fake: routes the adapter and discord.js call, with Discord's checks. */
export class FakeRest {
  readonly requests: RecordedRequest[] = [];
  readonly registeredCommands: { guildId?: string; body: unknown[] }[] = [];
  private readonly failures: FailureRule[] = [];
  private readonly routes: { method: string; parts: string[]; handler: Handler; auth: boolean }[] = [];

  constructor(
    private readonly state: FakeDiscordState,
    private readonly gateway: () => FakeGateway,
    private readonly gatewayUrl: () => string,
    private readonly options: RestOptions,
  ) {
    this.defineRoutes();
  }

  /** Makes the next `times` requests matching method and path fail with the given error. */
  failNext(rule: Omit<FailureRule, 'remaining'> & { times?: number }): void {
    this.failures.push({ ...rule, remaining: rule.times ?? 1 });
  }

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://fake');
    const method = request.method ?? 'GET';
    const segments = url.pathname.replace(/^\/api\/v10/, '').split('/').filter(Boolean).map(decodeURIComponent);
    const path = `/${segments.join('/')}`;
    const { body, files } = await readBody(request);
    const answer = this.route(method, segments, { params: {}, query: url.searchParams, body, files }, request.headers.authorization);
    this.requests.push({ method, path, query: url.searchParams, body, files, status: answer.status, at: Date.now() });
    response.statusCode = answer.status;
    if (answer.body === undefined) {
      response.end();
      return;
    }
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify(answer.body));
  }

  private route(method: string, segments: string[], call: Call, authorization: string | undefined): Answer {
    for (const route of this.routes) {
      if (route.method !== method || route.parts.length !== segments.length) continue;
      const params: Record<string, string> = {};
      const matches = route.parts.every((part, index) => {
        const segment = segments[index] ?? '';
        if (part.startsWith(':')) {
          params[part.slice(1)] = segment;
          return true;
        }
        return part === segment;
      });
      if (!matches) continue;
      if (route.auth && authorization !== `Bot ${this.state.token}`) return error(401, 0, '401: Unauthorized');
      const path = `/${segments.join('/')}`;
      const failure = this.failures.find((rule) => rule.remaining > 0 && rule.method === method && rule.path.test(path));
      if (failure) {
        failure.remaining -= 1;
        return error(failure.status, failure.code, failure.message);
      }
      return route.handler({ ...call, params });
    }
    return error(404, 0, '404: Not Found');
  }

  private on(method: string, pattern: string, handler: Handler, auth = true): void {
    this.routes.push({ method, parts: pattern.split('/').filter(Boolean), handler, auth });
  }

  private defineRoutes(): void {
    const s = this.state;
    this.on('GET', '/gateway/bot', () =>
      json({ url: this.gatewayUrl(), shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 } }),
    );
    this.on('GET', '/users/@me', () => json(s.bot));
    this.on('POST', '/users/@me/channels', ({ body }) => {
      const recipient = z.object({ recipient_id: z.string() }).parse(body).recipient_id;
      return s.users.has(recipient) ? json(s.dmChannelFor(recipient)) : error(400, 50035, 'Invalid Form Body');
    });
    this.on('GET', '/channels/:channel', ({ params }) => {
      const channel = s.channels.get(params.channel ?? '');
      return channel ? json(channel) : error(404, 10003, 'Unknown Channel');
    });
    this.on('DELETE', '/channels/:channel', ({ params }) => {
      const channel = s.channels.get(params.channel ?? '');
      if (!channel) return error(404, 10003, 'Unknown Channel');
      s.channels.delete(channel.id);
      return json(channel);
    });
    this.on('POST', '/channels/:channel/messages', (call) => this.postMessage(call));
    this.on('PATCH', '/channels/:channel/messages/:message', ({ params, body, files }) => {
      const stored = s.messages.get(params.message ?? '');
      if (!stored || stored.json.channel_id !== params.channel) return error(404, 10008, 'Unknown Message');
      const checked = checkMessageBody(body, files.length, true);
      if (!checked.ok) return refused(checked);
      s.editMessage(stored, checked.value, attachmentsFor(files));
      return json(stored.json);
    });
    this.on('POST', '/channels/:channel/typing', ({ params }) => (s.channels.has(params.channel ?? '') ? noContent : error(404, 10003, 'Unknown Channel')));
    this.on('POST', '/channels/:channel/threads', ({ params, body }) => {
      const parent = s.channels.get(params.channel ?? '');
      if (!parent || parent.type !== ChannelKind.GuildText) return error(404, 10003, 'Unknown Channel');
      const request = threadSchema.parse(body);
      const type = request.type ?? ChannelKind.PrivateThread;
      if (type === ChannelKind.PrivateThread && !this.options.privateThreads) return error(403, 50013, 'Missing Permissions');
      const thread = s.createThread(parent.id, request.name, type, s.bot.id, request.invitable);
      this.dispatchIf(Intent.Guilds, 'THREAD_CREATE', { ...thread, newly_created: true });
      return json(thread, 201);
    });
    this.on('POST', '/channels/:channel/messages/:message/threads', ({ params, body }) => {
      const parent = s.channels.get(params.channel ?? '');
      const starter = s.messages.get(params.message ?? '');
      if (!parent || !starter) return error(404, 10008, 'Unknown Message');
      const request = threadSchema.parse(body);
      const thread = s.createThread(parent.id, request.name, ChannelKind.PublicThread, s.bot.id, undefined, starter.json.id);
      this.dispatchIf(Intent.Guilds, 'THREAD_CREATE', { ...thread, newly_created: true });
      return json(thread, 201);
    });
    this.on('PUT', '/channels/:channel/thread-members/:user', ({ params }) => {
      const members = s.threadMembers.get(params.channel ?? '');
      if (!members) return error(404, 10003, 'Unknown Channel');
      members.add(params.user ?? '');
      return noContent;
    });
    this.on('PUT', '/channels/:channel/messages/:message/reactions/:emoji/@me', ({ params }) => {
      if (!s.messages.has(params.message ?? '')) return error(404, 10008, 'Unknown Message');
      s.reactions.push({ channelId: params.channel ?? '', messageId: params.message ?? '', emoji: params.emoji ?? '' });
      return noContent;
    });
    this.on('POST', '/interactions/:interaction/:token/callback', (call) => this.interactionCallback(call), false);
    this.on('POST', '/webhooks/:application/:token', (call) => this.followUp(call), false);
    this.on('GET', '/webhooks/:application/:token/messages/:message', ({ params }) => {
      const stored = this.webhookMessage(params);
      return stored ? json(stored.json) : error(404, 10008, 'Unknown Message');
    }, false);
    this.on('PATCH', '/webhooks/:application/:token/messages/:message', ({ params, body, files }) => {
      const stored = this.webhookMessage(params);
      if (!stored) return error(404, 10008, 'Unknown Message');
      const checked = checkMessageBody(body, files.length, true);
      if (!checked.ok) return refused(checked);
      s.editMessage(stored, checked.value, attachmentsFor(files));
      return json(stored.json);
    }, false);
    this.on('DELETE', '/webhooks/:application/:token/messages/:message', ({ params }) => {
      const stored = this.webhookMessage(params);
      if (!stored) return error(404, 10008, 'Unknown Message');
      stored.deleted = true;
      return noContent;
    }, false);
    this.on('PUT', '/applications/:application/commands', (call) => this.registerCommands(call));
    this.on('PUT', '/applications/:application/guilds/:guild/commands', (call) => this.registerCommands(call));
  }

  private dispatchIf(intent: number, type: string, data: unknown): void {
    const gateway = this.gateway();
    if (gateway.has(intent)) gateway.dispatch(type, data);
  }

  private postMessage({ params, body, files }: Call): Answer {
    const s = this.state;
    const channel = s.channels.get(params.channel ?? '');
    if (!channel) return error(404, 10003, 'Unknown Channel');
    const recipient = channel.recipients?.[0]?.id;
    if (channel.type === ChannelKind.DM && recipient && s.closedDms.has(recipient)) return error(403, 50007, 'Cannot send messages to this user');
    const checked = checkMessageBody(body, files.length);
    if (!checked.ok) return refused(checked);
    const stored = s.addMessage({ channelId: channel.id, author: s.bot, body: checked.value, via: 'channel', attachments: attachmentsFor(files) });
    this.dispatchIf(channel.type === ChannelKind.DM ? Intent.DirectMessages : Intent.GuildMessages, 'MESSAGE_CREATE', { ...stored.json, channel_type: channel.type });
    return json(stored.json);
  }

  private interactionCallback({ params, query, body, files }: Call): Answer {
    const s = this.state;
    const interaction = s.interactions.get(params.interaction ?? '');
    if (!interaction || interaction.token !== params.token) return error(404, 10062, 'Unknown interaction');
    if (interaction.callbacks.length > 0) return error(400, 40060, 'Interaction has already been acknowledged.');
    if (Date.now() - interaction.dispatchedAt > this.options.interactionDeadlineMs) return error(404, 10062, 'Unknown interaction');
    const callback = callbackSchema.parse(body);
    let message: StoredMessage | undefined;
    switch (callback.type) {
      case 4: {
        const checked = checkMessageBody(callback.data, files.length);
        if (!checked.ok) return refused(checked);
        message = s.addMessage({ channelId: interaction.channelId, author: s.bot, body: checked.value, via: 'interaction', interactionId: interaction.id, attachments: attachmentsFor(files) });
        interaction.originalId = message.json.id;
        break;
      }
      case 5: {
        const flags = z.object({ flags: z.number().optional() }).optional().parse(callback.data)?.flags ?? 0;
        message = s.addMessage({ channelId: interaction.channelId, author: s.bot, body: { content: '', flags }, via: 'interaction', interactionId: interaction.id, loading: true });
        interaction.originalId = message.json.id;
        break;
      }
      case 6:
        break;
      case 7: {
        const target = interaction.messageId ? s.messages.get(interaction.messageId) : undefined;
        if (!target) return error(400, 50035, 'Invalid Form Body', ['UPDATE_MESSAGE on an interaction without a message']);
        const checked = checkMessageBody(callback.data, files.length, true);
        if (!checked.ok) return refused(checked);
        s.editMessage(target, checked.value);
        break;
      }
      case 8: {
        const checked = check(autocompleteSchema, callback.data);
        if (!checked.ok) return refused(checked);
        break;
      }
      case 9: {
        if (interaction.type === 5) return error(400, 50035, 'Invalid Form Body', ['a modal cannot answer a modal']);
        const checked = check(modalSchema, callback.data);
        if (!checked.ok) return refused(checked);
        break;
      }
      default:
        return error(400, 50035, 'Invalid Form Body', [`unknown callback type ${callback.type}`]);
    }
    interaction.callbacks.push({ type: callback.type, data: callback.data, at: Date.now() });
    if (query.get('with_response') === 'true') {
      return json({ interaction: { id: interaction.id, type: interaction.type }, resource: { type: callback.type, ...(message ? { message: message.json } : {}) } });
    }
    return noContent;
  }

  private interactionByToken(application: string | undefined, token: string | undefined): FakeInteraction | undefined {
    if (application !== this.state.applicationId) return undefined;
    return [...this.state.interactions.values()].find((interaction) => interaction.token === token);
  }

  private webhookMessage(params: Record<string, string>): StoredMessage | undefined {
    const interaction = this.interactionByToken(params.application, params.token);
    if (!interaction) return undefined;
    const id = params.message === '@original' ? (interaction.originalId ?? (interaction.callbacks.some((callback) => callback.type === 6 || callback.type === 7) ? interaction.messageId : undefined)) : params.message;
    const stored = id ? this.state.messages.get(id) : undefined;
    return stored && !stored.deleted ? stored : undefined;
  }

  /**
   * A follow-up. As on Discord, the first one after a deferred reply edits the "thinking..."
   * message (keeping the visibility chosen when deferring); later ones are new messages.
   */
  private followUp({ params, body, files }: Call): Answer {
    const s = this.state;
    const interaction = this.interactionByToken(params.application, params.token);
    if (!interaction) return error(404, 10015, 'Unknown Webhook');
    if (interaction.callbacks.length === 0) return error(400, 40060, 'Interaction has not been acknowledged.');
    const checked = checkMessageBody(body, files.length);
    if (!checked.ok) return refused(checked);
    const original = interaction.originalId ? s.messages.get(interaction.originalId) : undefined;
    if (original?.loading && !original.deleted) {
      s.editMessage(original, checked.value, attachmentsFor(files));
      return json(original.json);
    }
    const stored = s.addMessage({ channelId: interaction.channelId, author: s.bot, body: checked.value, via: 'followup', interactionId: interaction.id, attachments: attachmentsFor(files) });
    interaction.followupIds.push(stored.json.id);
    return json(stored.json);
  }

  private registerCommands({ params, body }: Call): Answer {
    if (params.application !== this.state.applicationId) return error(404, 10002, 'Unknown Application');
    if (params.guild && params.guild !== this.state.guildId) return error(403, 50001, 'Missing Access');
    const checked = check(commandsSchema, body);
    if (!checked.ok) return refused(checked);
    this.registeredCommands.push({ ...(params.guild ? { guildId: params.guild } : {}), body: checked.value });
    return json(checked.value.map((command) => ({ ...command, id: snowflake(), application_id: this.state.applicationId, version: snowflake() })));
  }
}

function attachmentsFor(files: readonly { name: string; size: number }[]): AttachmentJson[] {
  return files.map((file) => {
    const id = snowflake();
    return { id, filename: file.name, size: file.size, url: `https://cdn.example/${id}/${file.name}`, proxy_url: `https://media.example/${id}/${file.name}`, content_type: 'image/png' };
  });
}

async function readBody(request: IncomingMessage): Promise<{ body: unknown; files: { name: string; size: number }[] }> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const type = request.headers['content-type'] ?? '';
  if (raw.length === 0) return { body: undefined, files: [] };
  if (type.startsWith('multipart/form-data')) {
    const form = await new Request('http://fake/', { method: 'POST', headers: { 'content-type': type }, body: raw }).formData();
    const files: { name: string; size: number }[] = [];
    let body: unknown;
    for (const [key, value] of form.entries()) {
      if (key === 'payload_json' && typeof value === 'string') body = JSON.parse(value);
      else if (typeof value !== 'string') files.push({ name: value.name, size: value.size });
    }
    return { body, files };
  }
  return { body: JSON.parse(raw.toString('utf8')), files: [] };
}
