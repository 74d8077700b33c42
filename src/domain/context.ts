/** What the domain knows of the request that caused a command: never HTTP objects themselves. */
export interface RequestContext {
  ip: string;
  userAgent: string;
  /** When the signed-in session last gave a fresh passkey assertion (policy phishing-resistant). */
  stepUpAt?: Date | null;
  /** The signed-in session the command came from: a confirmation code is bound to it. */
  sessionId?: number | null;
}

export interface Brand {
  brokerName: string;
  serviceName: string;
  supportPhone: string;
  tradingServiceUrl: string;
}
