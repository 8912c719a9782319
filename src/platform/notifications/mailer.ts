import nodemailer from 'nodemailer';
import type { MailMessage, MailTransport } from './outbox.ts';

/** An SMTP transport from a URL such as smtp://user:pass@mail.example:587 (nodemailer). */
export function smtpTransport(url: string, from: string): MailTransport {
  const transporter = nodemailer.createTransport(url);
  return {
    async send(message: MailMessage) {
      await transporter.sendMail({ from, to: message.to, subject: message.subject, text: message.text, ...(message.attachments ? { attachments: message.attachments } : {}) });
    },
  };
}
