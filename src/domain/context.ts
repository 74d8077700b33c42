/** What the domain knows of the request that caused a command: never HTTP objects themselves. */
export interface RequestContext {
  ip: string;
  userAgent: string;
}

export interface Brand {
  brokerName: string;
  serviceName: string;
  supportPhone: string;
  tradingServiceUrl: string;
}
