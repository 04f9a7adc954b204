import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { createDeflate, type Deflate, deflateSync, constants as zlibConstants } from 'node:zlib';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { isRecord, type JsonRecord } from './json.js';
import { Intent } from './limits.js';
import { shardOf } from './snowflake.js';
import type { Dispatcher, SessionView } from './world.js';

/** Gateway opcodes (Discord docs, "Gateway Opcodes"). */
const Op = {
  Dispatch: 0,
  Heartbeat: 1,
  Identify: 2,
  PresenceUpdate: 3,
  VoiceStateUpdate: 4,
  Resume: 6,
  Reconnect: 7,
  RequestGuildMembers: 8,
  InvalidSession: 9,
  Hello: 10,
  HeartbeatAck: 11,
  RequestSoundboardSounds: 31,
} as const;

/** Close codes the fake uses (Discord docs, "Gateway Close Event Codes"). */
export const GatewayClose = {
  UnknownOpcode: 4001,
  DecodeError: 4002,
  NotAuthenticated: 4003,
  AuthenticationFailed: 4004,
  AlreadyAuthenticated: 4005,
  InvalidShard: 4010,
  InvalidApiVersion: 4012,
  InvalidIntents: 4013,
  DisallowedIntents: 4014,
} as const;

const PRIVILEGED = Intent.GuildMembers | Intent.GuildPresences | Intent.MessageContent;
const ALL_INTENTS = (1 << 26) - 1;
/** Missed dispatches kept per session for RESUME. */
const REPLAY_BUFFER = 2000;

export interface GatewayOptions {
  readonly token: string;
  readonly heartbeatIntervalMs: number;
  /** Privileged intents enabled for the app in the (imaginary) developer portal. */
  readonly enabledPrivilegedIntents: number;
  readonly url: () => string;
  /** READY's `d` for a new session of a shard, and the GUILD_CREATE payloads that follow it. */
  readonly ready: (sessionId: string, shard: ShardId) => { ready: JsonRecord; guilds: JsonRecord[] };
  readonly onChange: () => void;
}

/** `[shard_id, num_shards]` as sent in IDENTIFY; `[0, 1]` when the client does not shard. */
export type ShardId = readonly [number, number];

/**
 * Whether a session of `shard` receives the events of a guild (null: events without a guild, such
 * as DMs, which go to shard 0 only). Each session routes by its own `num_shards`, as Discord does.
 */
export function receives(shard: ShardId, guildId: string | null): boolean {
  const [id, count] = shard;
  return guildId === null ? id === 0 : shardOf(guildId, count) === id;
}

interface Session extends SessionView {
  readonly id: string;
  readonly intents: number;
  readonly shard: ShardId;
  seq: number;
  readonly buffer: { s: number; t: string; d: unknown }[];
  connection: Connection | null;
  invalid: boolean;
}

interface Connection {
  readonly socket: WebSocket;
  session: Session | null;
  zlibStream: Deflate | null;
  identifyCompress: boolean;
  sendChain: Promise<void>;
  /** Payloads queued while a RESUME is replaying, so they cannot overtake the replay. */
  live: boolean;
}

/** Counters a test can assert on (how many identifies, resumes, heartbeats...). */
export interface GatewayStats {
  connections: number;
  identifies: number;
  resumes: number;
  heartbeats: number;
  heartbeatAcks: number;
  closes: { code: number; by: 'server' | 'client' }[];
}

/**
 * The WebSocket gateway: HELLO → IDENTIFY → READY + GUILD_CREATE, heartbeats, RESUME with replay of
 * missed dispatches, and the close codes discord.js treats as fatal. JSON encoding, with optional
 * `compress=zlib-stream` (one deflate stream per connection, Z_SYNC_FLUSH per payload).
 */
export class GatewayServer implements Dispatcher {
  readonly wss: WebSocketServer;
  readonly sessions = new Map<string, Session>();
  readonly stats: GatewayStats = {
    connections: 0,
    identifies: 0,
    resumes: 0,
    heartbeats: 0,
    heartbeatAcks: 0,
    closes: [],
  };
  readonly identifyPayloads: JsonRecord[] = [];
  ackHeartbeats = true;
  readonly #connections = new Set<Connection>();

  constructor(readonly options: GatewayOptions) {
    this.wss = new WebSocketServer({ noServer: true });
  }

  /** Accepts an HTTP upgrade for the gateway (`/?v=10&encoding=json`). */
  handleUpgrade(request: IncomingMessage, socket: import('node:stream').Duplex, head: Buffer): void {
    this.wss.handleUpgrade(request, socket, head, (ws) => this.#onConnection(ws, request));
  }

  get connectedSessions(): number {
    return [...this.sessions.values()].filter((s) => s.connection?.live).length;
  }

  /** Whether a session exists that a dispatch about this guild (null: no guild) can reach now or on resume. */
  hasSessionFor(guildId: string | null): boolean {
    return [...this.sessions.values()].some((s) => !s.invalid && receives(s.shard, guildId));
  }

  /** The shards of the sessions that can still receive dispatches (connected or resumable), in identify order. */
  get shards(): ShardId[] {
    return [...this.sessions.values()].filter((s) => !s.invalid).map((s) => s.shard);
  }

  dispatch(event: string, guildId: string | null, build: (session: SessionView) => unknown | null): void {
    for (const session of this.sessions.values()) {
      if (session.invalid || !receives(session.shard, guildId)) continue;
      const d = build(session);
      if (d === null) continue;
      this.#dispatchTo(session, event, d);
    }
    this.options.onChange();
  }

  /** Kills every socket without a close frame, as a network drop would; sessions stay resumable. */
  dropConnections(): void {
    for (const connection of this.#connections) connection.socket.terminate();
  }

  /** Sends op 7 RECONNECT: the client should close and resume. */
  requestReconnect(): void {
    for (const connection of this.#connections) this.#send(connection, { op: Op.Reconnect, d: null });
  }

  /** Sends op 9 INVALID_SESSION (not resumable) and forgets the sessions: the client must identify anew. */
  invalidateSessions(): void {
    for (const connection of this.#connections) this.#send(connection, { op: Op.InvalidSession, d: false });
    for (const session of this.sessions.values()) session.invalid = true;
  }

  async close(): Promise<void> {
    for (const connection of this.#connections) connection.socket.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  #onConnection(socket: WebSocket, request: IncomingMessage): void {
    const connection: Connection = {
      socket,
      session: null,
      zlibStream: null,
      identifyCompress: false,
      sendChain: Promise.resolve(),
      live: false,
    };
    this.#connections.add(connection);
    this.stats.connections += 1;
    socket.on('close', (code) => {
      this.#connections.delete(connection);
      connection.zlibStream?.close();
      const session = connection.session;
      if (session && session.connection === connection) {
        session.connection = null;
        // A normal close (1000/1001) by the client ends the session; anything else may be resumed.
        if (code === 1000 || code === 1001) session.invalid = true;
      }
      this.stats.closes.push({ code, by: 'client' });
      this.options.onChange();
    });
    socket.on('error', () => {});
    socket.on('message', (data, isBinary) => this.#onMessage(connection, data, isBinary));

    const params = new URL(request.url ?? '/', 'http://gateway').searchParams;
    if (params.get('v') !== '10') {
      this.#close(connection, GatewayClose.InvalidApiVersion, 'Invalid API version');
      return;
    }
    if ((params.get('encoding') ?? 'json') !== 'json') {
      this.#close(connection, GatewayClose.DecodeError, 'Only JSON encoding is supported by the fake');
      return;
    }
    if (params.get('compress') === 'zlib-stream') connection.zlibStream = createDeflate();
    this.#send(connection, { op: Op.Hello, d: { heartbeat_interval: this.options.heartbeatIntervalMs } });
  }

  #onMessage(connection: Connection, data: RawData, isBinary: boolean): void {
    let payload: unknown;
    try {
      if (isBinary) throw new Error('binary');
      payload = JSON.parse(rawToString(data));
    } catch {
      this.#close(connection, GatewayClose.DecodeError, 'Error while decoding payload.');
      return;
    }
    if (!isRecord(payload) || typeof payload.op !== 'number') {
      this.#close(connection, GatewayClose.DecodeError, 'Error while decoding payload.');
      return;
    }
    const d = isRecord(payload.d) ? payload.d : {};
    switch (payload.op) {
      case Op.Heartbeat:
        this.stats.heartbeats += 1;
        if (this.ackHeartbeats) {
          this.stats.heartbeatAcks += 1;
          this.#send(connection, { op: Op.HeartbeatAck });
        }
        this.options.onChange();
        return;
      case Op.Identify:
        this.#identify(connection, d);
        return;
      case Op.Resume:
        this.#resume(connection, d);
        return;
      case Op.PresenceUpdate:
      case Op.VoiceStateUpdate:
      case Op.RequestGuildMembers:
      case Op.RequestSoundboardSounds:
        if (!connection.session) this.#close(connection, GatewayClose.NotAuthenticated, 'Not authenticated.');
        return;
      default:
        this.#close(connection, GatewayClose.UnknownOpcode, 'Unknown opcode.');
    }
  }

  #identify(connection: Connection, d: JsonRecord): void {
    if (connection.session) {
      this.#close(connection, GatewayClose.AlreadyAuthenticated, 'Already authenticated.');
      return;
    }
    this.identifyPayloads.push({ ...d, token: '[redacted]' });
    if (d.token !== this.options.token) {
      this.#close(connection, GatewayClose.AuthenticationFailed, 'Authentication failed.');
      return;
    }
    const intents = typeof d.intents === 'number' ? d.intents : -1;
    if (intents < 0 || (intents & ~ALL_INTENTS) !== 0) {
      this.#close(connection, GatewayClose.InvalidIntents, 'Invalid intent(s).');
      return;
    }
    if ((intents & PRIVILEGED & ~this.options.enabledPrivilegedIntents) !== 0) {
      this.#close(connection, GatewayClose.DisallowedIntents, 'Disallowed intent(s).');
      return;
    }
    const shard = parseShard(d.shard);
    if (!shard) {
      this.#close(connection, GatewayClose.InvalidShard, 'Invalid shard.');
      return;
    }
    connection.identifyCompress = d.compress === true && connection.zlibStream === null;
    const id = randomBytes(16).toString('hex');
    const session: Session = { id, intents, shard, seq: 0, buffer: [], connection, invalid: false };
    this.sessions.set(id, session);
    connection.session = session;
    connection.live = true;
    this.stats.identifies += 1;
    const { ready, guilds } = this.options.ready(id, shard);
    this.#dispatchTo(session, 'READY', ready);
    for (const guild of guilds) this.#dispatchTo(session, 'GUILD_CREATE', guild);
    this.options.onChange();
  }

  #resume(connection: Connection, d: JsonRecord): void {
    if (connection.session) {
      this.#close(connection, GatewayClose.AlreadyAuthenticated, 'Already authenticated.');
      return;
    }
    if (d.token !== this.options.token) {
      this.#close(connection, GatewayClose.AuthenticationFailed, 'Authentication failed.');
      return;
    }
    const session = typeof d.session_id === 'string' ? this.sessions.get(d.session_id) : undefined;
    const seq = typeof d.seq === 'number' ? d.seq : -1;
    if (!session || session.invalid || seq > session.seq) {
      this.#send(connection, { op: Op.InvalidSession, d: false });
      return;
    }
    const oldest = session.buffer[0]?.s ?? session.seq + 1;
    if (seq + 1 < oldest) {
      this.#send(connection, { op: Op.InvalidSession, d: false });
      return;
    }
    if (session.connection && session.connection !== connection) session.connection.socket.terminate();
    session.connection = connection;
    connection.session = session;
    for (const missed of session.buffer) {
      if (missed.s > seq) this.#send(connection, { op: Op.Dispatch, s: missed.s, t: missed.t, d: missed.d });
    }
    connection.live = true;
    this.stats.resumes += 1;
    this.#dispatchTo(session, 'RESUMED', {});
    this.options.onChange();
  }

  #dispatchTo(session: Session, t: string, d: unknown): void {
    session.seq += 1;
    const s = session.seq;
    session.buffer.push({ s, t, d });
    if (session.buffer.length > REPLAY_BUFFER) session.buffer.shift();
    const connection = session.connection;
    if (connection?.live) this.#send(connection, { op: Op.Dispatch, s, t, d });
  }

  #send(connection: Connection, payload: JsonRecord): void {
    const json = JSON.stringify({ s: null, t: null, ...payload });
    const socket = connection.socket;
    if (socket.readyState !== socket.OPEN) return;
    const stream = connection.zlibStream;
    if (stream) {
      connection.sendChain = connection.sendChain.then(
        () =>
          new Promise<void>((resolve) => {
            const chunks: Buffer[] = [];
            const onData = (chunk: Buffer): void => {
              chunks.push(chunk);
            };
            stream.on('data', onData);
            stream.write(json);
            stream.flush(zlibConstants.Z_SYNC_FLUSH, () => {
              stream.off('data', onData);
              if (socket.readyState === socket.OPEN) socket.send(Buffer.concat(chunks), { binary: true });
              resolve();
            });
          }),
      );
      return;
    }
    if (connection.identifyCompress) socket.send(deflateSync(json), { binary: true });
    else socket.send(json);
  }

  #close(connection: Connection, code: number, reason: string): void {
    this.stats.closes.push({ code, by: 'server' });
    connection.socket.close(code, reason);
    this.options.onChange();
  }
}

/**
 * IDENTIFY's `shard`: absent means `[0, 1]`; otherwise two integers with 0 ≤ shard_id < num_shards,
 * else null (close 4010). Any `num_shards` is accepted: Discord routes each session by its own
 * count, so sessions with the same shard, or with different counts, may coexist (docs, "Sharding").
 */
function parseShard(value: unknown): ShardId | null {
  if (value === undefined || value === null) return [0, 1];
  if (!Array.isArray(value) || value.length !== 2) return null;
  const [id, count] = value as unknown[];
  if (!Number.isInteger(id) || !Number.isInteger(count)) return null;
  const shard = id as number;
  const total = count as number;
  return total >= 1 && shard >= 0 && shard < total ? [shard, total] : null;
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
