/** The customer's registered e-mail addresses and the changes waiting for their code. Times are Dates here; the store keeps epoch milliseconds. */

export interface EmailAddress {
  id: number;
  accountId: number;
  /** 1 is 代表 (representative): the firm's notices and electronic delivery go there. */
  slot: number;
  address: string;
  loginNotification: boolean;
  verifiedAt: Date | null;
  createdAt: Date;
}

/** A new address for a slot, waiting for the code mailed to it (仮登録). */
export interface AddressChange {
  accountId: number;
  slot: number;
  address: string;
  codeHash: string;
  attempts: number;
  sendCount: number;
  sentAt: Date;
  createdAt: Date;
  expiresAt: Date;
}
