import { perProcess } from '../per-process.ts';

/**
 * Failed sign-ins counted per client and over all clients, in a sliding window. The token is a
 * long random secret, so this is not what keeps guessing out; it keeps a script from trying at
 * the speed of the server. The client is whom `x-forwarded-for` names (Next sets it from the
 * socket, a proxy in front sets it for its clients); a client that forges the header still
 * meets the ceiling over all clients.
 */
interface LoginLimits {
  perClient: number;
  allClients: number;
  windowMs: number;
}

const LOGIN_LIMITS: LoginLimits = { perClient: 10, allClients: 100, windowMs: 15 * 60_000 };
/** Clients remembered at most (the oldest is forgotten first), so the table stays small under a flood of forged names. */
const MAX_CLIENTS = 10_000;

export class LoginAttempts {
  private readonly failures = new Map<string, number[]>();
  private all: number[] = [];

  constructor(
    private readonly limits: LoginLimits = LOGIN_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until this client may try again, or 0 when it may try now. */
  retryAfter(client: string): number {
    const t = this.now();
    const recent = (list: number[] | undefined) => (list ?? []).filter((x) => t - x < this.limits.windowMs);
    this.all = recent(this.all);
    const mine = recent(this.failures.get(client));
    const blocking = mine.length >= this.limits.perClient ? mine : this.all.length >= this.limits.allClients ? this.all : null;
    if (!blocking) return 0;
    return Math.max(
      1,
      Math.ceil((blocking[blocking.length - (blocking === mine ? this.limits.perClient : this.limits.allClients)] + this.limits.windowMs - t) / 1000),
    );
  }

  recordFailure(client: string): void {
    const t = this.now();
    const mine = (this.failures.get(client) ?? []).filter((x) => t - x < this.limits.windowMs);
    mine.push(t);
    this.failures.delete(client); // re-inserted last: Map order is the age order the cap evicts by
    this.failures.set(client, mine.slice(-this.limits.perClient));
    if (this.failures.size > MAX_CLIENTS) this.failures.delete(this.failures.keys().next().value!);
    this.all.push(t);
    if (this.all.length > this.limits.allClients) this.all = this.all.slice(-this.limits.allClients);
  }
}

export function clientOf(headers: Headers): string {
  return headers.get('x-forwarded-for')?.split(',')[0]?.trim() || 'unknown';
}

export const loginAttempts = perProcess('LoginAttempts', () => new LoginAttempts());
