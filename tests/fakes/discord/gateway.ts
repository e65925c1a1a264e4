import type { IncomingMessage, Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import { snowflake } from './ids.js';
import type { FakeDiscordState } from './state.js';
import { Intent } from './state.js';

const Op = { Dispatch: 0, Heartbeat: 1, Identify: 2, Resume: 6, Reconnect: 7, InvalidSession: 9, Hello: 10, HeartbeatAck: 11 } as const;

const frameSchema = z.object({ op: z.number(), d: z.unknown() });
const identifySchema = z.object({ token: z.string(), intents: z.number(), shard: z.tuple([z.number(), z.number()]).optional() });
const resumeSchema = z.object({ token: z.string(), session_id: z.string(), seq: z.number().nullable() });

interface Frame {
  op: number;
  t: string | null;
  s: number | null;
  d: unknown;
}

interface Session {
  id: string;
  seq: number;
  intents: number;
  /** Every dispatch of the session, for RESUME replays. */
  log: Frame[];
}

export interface GatewayOptions {
  heartbeatIntervalMs: number;
  /** When false, IDENTIFY with the Message Content intent is closed with 4014 (not enabled in the portal). */
  allowMessageContent: boolean;
}

/**
 * The gateway side of the fake: HELLO, IDENTIFY -> READY + GUILD_CREATE, heartbeats, dispatches
 * with increasing sequence numbers, and RESUME replaying what was dispatched while disconnected.
 */
export class FakeGateway {
  private readonly wss: WebSocketServer;
  private socket: WebSocket | undefined;
  private session: Session | undefined;
  /** Set to false to stop acknowledging heartbeats (the client then reconnects and resumes). */
  ackHeartbeats = true;
  identifies = 0;
  resumes = 0;
  /** Intents of the last IDENTIFY. */
  intents = 0;
  readonly closeCodes: number[] = [];

  constructor(
    server: Server,
    private readonly state: FakeDiscordState,
    private readonly options: GatewayOptions,
    private readonly url: () => string,
  ) {
    this.wss = new WebSocketServer({ server });
    this.wss.on('connection', (socket, request) => this.accept(socket, request));
  }

  get connected(): boolean {
    return this.socket?.readyState === 1 && this.session !== undefined;
  }

  /** Sends (or, while disconnected, keeps for the RESUME replay) a dispatch event. */
  dispatch(type: string, data: unknown): void {
    const session = this.session;
    if (!session) throw new Error('fake gateway: no session yet');
    session.seq += 1;
    const frame: Frame = { op: Op.Dispatch, t: type, s: session.seq, d: data };
    session.log.push(frame);
    if (this.socket?.readyState === 1) this.socket.send(JSON.stringify(frame));
  }

  /** Whether the identified session asked for the given intent bit. */
  has(intent: number): boolean {
    return (this.session?.intents ?? 0) & intent ? true : false;
  }

  /** Cuts the connection abruptly (like a network drop): the client reconnects and resumes. */
  drop(): void {
    this.socket?.terminate();
    this.socket = undefined;
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private accept(socket: WebSocket, request: IncomingMessage): void {
    const params = new URL(request.url ?? '/', 'http://fake').searchParams;
    if (params.get('encoding') !== 'json' || params.get('compress')) {
      socket.close(4002, 'fake gateway speaks plain JSON only');
      return;
    }
    this.socket?.terminate();
    this.socket = socket;
    socket.on('close', (code) => {
      this.closeCodes.push(code);
      if (this.socket === socket) this.socket = undefined;
    });
    socket.on('message', (raw) => this.receive(socket, raw.toString()));
    this.send(socket, { op: Op.Hello, t: null, s: null, d: { heartbeat_interval: this.options.heartbeatIntervalMs } });
  }

  private send(socket: WebSocket, frame: Frame): void {
    if (socket.readyState === 1) socket.send(JSON.stringify(frame));
  }

  private receive(socket: WebSocket, raw: string): void {
    const frame = frameSchema.safeParse(JSON.parse(raw));
    if (!frame.success) {
      socket.close(4002, 'decode error');
      return;
    }
    switch (frame.data.op) {
      case Op.Heartbeat:
        if (this.ackHeartbeats) this.send(socket, { op: Op.HeartbeatAck, t: null, s: null, d: null });
        return;
      case Op.Identify:
        return this.identify(socket, identifySchema.parse(frame.data.d));
      case Op.Resume:
        return this.resume(socket, resumeSchema.parse(frame.data.d));
      default:
        return;
    }
  }

  private identify(socket: WebSocket, identify: z.infer<typeof identifySchema>): void {
    if (identify.token !== this.state.token) {
      socket.close(4004, 'Authentication failed.');
      return;
    }
    if (!this.options.allowMessageContent && identify.intents & Intent.MessageContent) {
      socket.close(4014, 'Disallowed intent(s).');
      return;
    }
    this.identifies += 1;
    this.intents = identify.intents;
    this.session = { id: snowflake(), seq: 0, intents: identify.intents, log: [] };
    this.dispatch('READY', {
      v: 10,
      user: this.state.bot,
      guilds: [{ id: this.state.guildId, unavailable: true }],
      session_id: this.session.id,
      resume_gateway_url: this.url(),
      shard: identify.shard ?? [0, 1],
      application: { id: this.state.applicationId, flags: 0 },
      private_channels: [],
      user_settings: {},
    });
    this.dispatch('GUILD_CREATE', this.state.guildCreate());
  }

  private resume(socket: WebSocket, resume: z.infer<typeof resumeSchema>): void {
    const session = this.session;
    if (resume.token !== this.state.token || !session || session.id !== resume.session_id) {
      this.send(socket, { op: Op.InvalidSession, t: null, s: null, d: false });
      return;
    }
    this.resumes += 1;
    for (const frame of session.log) if (frame.s !== null && frame.s > (resume.seq ?? 0)) this.send(socket, frame);
    this.dispatch('RESUMED', {});
  }
}
