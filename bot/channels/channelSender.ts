/**
 * How messages reach a chat outside a turn (status updates, officer questions, ticket forwarding): each running
 * channel registers a sender on the app; the outbox worker picks the sender by the chat's channel.
 */
import type { Locale } from '../../content/locales/index.ts';
import type { OutboundMessage } from '../../flows/messages.ts';

/** Delivers messages to one chat of a channel. Throws DeliveryError (permanent or not) on failure. */
export interface ChannelSender {
  readonly channel: 'telegram' | 'whatsapp' | 'terminal';
  send(chatId: string, messages: OutboundMessage[], locale: Locale): Promise<void>;
}
