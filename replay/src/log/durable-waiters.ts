/** Promises waiting for a seq to become durable, kept in seq order. */
export class DurableWaiters {
  private readonly seqs: number[] = [];
  private readonly resolves: (() => void)[] = [];
  private readonly rejects: ((err: Error) => void)[] = [];

  /** A promise resolved by the first `resolveUpTo` at or past `seq`, or rejected by `rejectAll`. */
  add(seq: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      // Usually asked in increasing order: insert from the back.
      let i = this.seqs.length;
      while (i > 0 && (this.seqs[i - 1] as number) > seq) i--;
      this.seqs.splice(i, 0, seq);
      this.resolves.splice(i, 0, resolve);
      this.rejects.splice(i, 0, reject);
    });
  }

  /** Resolves every waiter for a seq up to `upTo`. */
  resolveUpTo(upTo: number): void {
    let k = 0;
    while (k < this.seqs.length && (this.seqs[k] as number) <= upTo) k++;
    if (k === 0) return;
    const done = this.resolves.splice(0, k);
    this.seqs.splice(0, k);
    this.rejects.splice(0, k);
    for (const resolve of done) resolve();
  }

  /** Rejects every waiter with `err`. */
  rejectAll(err: Error): void {
    const rejects = this.rejects.splice(0);
    this.seqs.splice(0);
    this.resolves.splice(0);
    for (const reject of rejects) reject(err);
  }
}
