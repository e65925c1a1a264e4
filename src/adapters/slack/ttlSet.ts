/** A bounded map whose entries expire: known threads, their owners. */
export class TtlMap<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > this.now()) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.now() + this.ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }
}

/** A bounded set whose entries expire: seen event ids, handled messages. */
export class TtlSet {
  private readonly map: TtlMap<true>;

  constructor(ttlMs: number, maxEntries: number, now: () => number = Date.now) {
    this.map = new TtlMap(ttlMs, maxEntries, now);
  }

  has(key: string): boolean {
    return this.map.has(key);
  }

  /** Adds `key`; returns false when it was already there (a duplicate). */
  add(key: string): boolean {
    if (this.map.has(key)) return false;
    this.map.set(key, true);
    return true;
  }
}
