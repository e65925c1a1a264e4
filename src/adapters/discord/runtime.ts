import type { DeliveryDeps } from './delivery.js';

/** What the listeners share while the adapter runs. */
export interface DiscordRuntime extends DeliveryDeps {
  /** Discord id of the bot user (known once logged in). */
  botId: string;
  /** Whether the gateway delivers the content of plain messages (privileged Message Content intent). */
  messageContent: boolean;
  /** An interaction the engine has not answered within this many ms is deferred (Discord allows 3 s). */
  deferAfterMs: number;
  /** A message the engine has not answered within this many ms shows "mle-coach is typing...". */
  typingAfterMs: number;
}
