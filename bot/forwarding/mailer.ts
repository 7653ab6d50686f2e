/**
 * E-mail to offices through the SMTP server in `SMTP_URL` (nodemailer). SMTP replies in the 5xx range are
 * permanent failures (no such mailbox, message refused); anything else is retried by the outbox.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import { DeliveryError } from '../errors.ts';

/** One e-mail. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Stable per logical delivery, so a retried message is recognisably the same one. */
  messageId: string;
  attachments: Array<{ filename: string; path?: string; content?: Buffer; contentType?: string }>;
}

/** Sends e-mail. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/** A mailer on an SMTP URL (`smtp://user:pass@host:587`, `smtps://...`). */
export function createSmtpMailer(smtpUrl: string, from: string): Mailer {
  const transport: Transporter = nodemailer.createTransport(smtpUrl);
  return {
    async send(message) {
      try {
        await transport.sendMail({
          from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          messageId: message.messageId,
          attachments: message.attachments,
        });
      } catch (error) {
        const code = (error as { responseCode?: number }).responseCode;
        const text = error instanceof Error ? error.message : String(error);
        throw new DeliveryError(`SMTP: ${text}`, code !== undefined && code >= 500 && code < 600, code);
      }
    },
    close: () => transport.close(),
  };
}
