/**
 * Simulated time: one real timer drives every scheduled task. Simulated time runs `speed`
 * times faster than wall time and can be advanced by hand.
 */

interface Task {
  due: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

export interface TaskHandle {
  cancel(): void;
}

export class SimClock {
  readonly speed: number;
  private readonly realStart: number;
  private readonly simStart: number;
  private offset = 0;
  private heap: Task[] = [];
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  private timerDue = Infinity;
  private stopped = false;

  constructor(speed = 1) {
    this.speed = speed > 0 ? speed : 1;
    this.realStart = performance.now();
    this.simStart = Date.now();
  }

  /** Simulated epoch milliseconds. */
  now(): number {
    return this.simStart + (performance.now() - this.realStart) * this.speed + this.offset;
  }

  /** Run fn after `simMs` simulated milliseconds. */
  after(simMs: number, fn: () => void): TaskHandle {
    const task: Task = {
      due: this.now() + Math.max(0, simMs),
      seq: this.seq++,
      fn,
      cancelled: false,
    };
    this.push(task);
    this.arm();
    return {
      cancel: () => {
        task.cancelled = true;
      },
    };
  }

  /** Jump simulated time forward. */
  advance(simMs: number): void {
    this.offset += Math.max(0, simMs);
    this.runDue();
  }

  pending(): number {
    return this.heap.filter((t) => !t.cancelled).length;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.heap = [];
  }

  private arm(): void {
    if (this.stopped) return;
    while (this.heap.length > 0 && this.heap[0]!.cancelled) this.pop();
    const top = this.heap[0];
    if (!top) return;
    if (this.timer && this.timerDue <= top.due) return;
    if (this.timer) clearTimeout(this.timer);
    const realDelay = Math.max(0, (top.due - this.now()) / this.speed);
    this.timerDue = top.due;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerDue = Infinity;
      this.runDue();
    }, Math.ceil(realDelay));
  }

  private runDue(): void {
    const now = this.now();
    let budget = 5000;
    while (this.heap.length > 0 && this.heap[0]!.due <= now && budget-- > 0 && !this.stopped) {
      const t = this.pop()!;
      if (!t.cancelled) t.fn();
    }
    if (budget <= 0) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.runDue();
      }, 0);
      this.timerDue = -Infinity;
      return;
    }
    this.arm();
  }

  private less(a: Task, b: Task): boolean {
    return a.due < b.due || (a.due === b.due && a.seq < b.seq);
  }

  private push(t: Task): void {
    const h = this.heap;
    h.push(t);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private pop(): Task | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}
