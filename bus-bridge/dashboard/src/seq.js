// Applies events in seq order (SPEC §9: consecutive per database). Out-of-order ones wait in a buffer; one that never
// fills its hole within holdMs, or anything before the state arrived, is handled by re-reading the state.
export class SeqBuffer {
  constructor(apply, onGap, holdMs = 3000) {
    this.apply = apply;
    this.onGap = onGap;
    this.holdMs = holdMs;
    this.reset();
  }

  /** Forget everything (the connection dropped: a new subscription and a new state read follow). */
  reset() {
    this.last = null;   // seq of the last event applied (null: no state yet)
    this.early = [];    // events that came before the state did
    this.held = new Map();
    clearTimeout(this.timer);
    this.timer = null;
  }

  /** The state reflects every event up to {@code seq}: apply what came meanwhile and is newer. */
  start(seq) {
    this.last = seq;
    this.held.clear();
    const early = this.early;
    this.early = [];
    for (const e of early) this.offer(e);
  }

  offer(e) {
    if (this.last === null) { this.early.push(e); return; }
    if (e.type === 'events.gap') { this.apply(e); return; }
    if (e.seq <= this.last) return; // already in the state, or applied
    this.held.set(e.seq, e);
    while (this.held.has(this.last + 1)) {
      const next = this.held.get(this.last + 1);
      this.held.delete(this.last + 1);
      this.last = next.seq;
      this.apply(next);
    }
    if (this.held.size && !this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        if (this.held.size) { this.held.clear(); this.onGap(); }
      }, this.holdMs);
    } else if (!this.held.size && this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }
}
