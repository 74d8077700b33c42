/** Mail waiting in the outbox, and mail kept by the development mailbox. Times are Dates here; the store keeps epoch milliseconds. */

export interface OutboxMailInput {
  messageId: string;
  to: string;
  subject: string;
  text: string;
  createdAt: Date;
}

export interface OutboxMail extends OutboxMailInput {
  id: number;
  attempts: number;
  sentAt: Date | null;
}

export interface DevMail {
  id: number;
  messageId: string;
  to: string;
  subject: string;
  text: string;
  deliveredAt: Date;
}
