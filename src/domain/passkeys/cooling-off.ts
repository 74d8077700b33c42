/**
 * A passkey registered less than PASSKEY_COOLING_OFF_HOURS ago is "new": it logs in, but cannot
 * satisfy a withdrawal step-up, and the customer can cancel it from another session or through the
 * desk. Someone who phished a live session and the trading password and registered their own
 * passkey therefore cannot withdraw with it before the customer has been told (the registration
 * notice) and had time to cancel it.
 */
export function coolingOffUntil(createdAt: Date, coolingOffHours: number): Date {
  return new Date(createdAt.getTime() + coolingOffHours * 3_600_000);
}

export function isCoolingOff(createdAt: Date, coolingOffHours: number, now: Date): boolean {
  return now < coolingOffUntil(createdAt, coolingOffHours);
}
