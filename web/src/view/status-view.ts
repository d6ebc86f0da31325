import type { ConnectionModel } from '../model/index.ts';
import { byId, setText } from './dom.ts';

/**
 * The connection indicator (live / reconnecting / resyncing, the measured latency and message rate), the
 * chart's overlay while the feed is interrupted — the bars stop, and the page says so instead of leaving a
 * frozen chart that looks quiet — and the notice line for problems that stop nothing.
 */
export class StatusView {
  private readonly root = byId('status', HTMLElement);
  private readonly label = byId('s-label', HTMLElement);
  private readonly latency = byId('s-latency', HTMLElement);
  private readonly rate = byId('s-rate', HTMLElement);
  private readonly overlay = byId('chart-overlay', HTMLElement);
  private readonly notice = byId('notice', HTMLElement);

  /** `frames`: frames rendered so far (a data attribute, so that a test can see the coalescing). */
  render(connection: ConnectionModel, nowMs: number, frames: number): void {
    const v = connection.view(nowMs);
    this.root.dataset.state = v.state;
    this.root.dataset.frames = String(frames);
    this.root.title = v.detail;
    setText(this.label, v.label);
    setText(this.latency, v.latency);
    setText(this.rate, v.rate);
    const interrupted = v.state === 'reconnecting' || v.state === 'closed' || v.state === 'connecting';
    this.overlay.hidden = !interrupted;
    if (interrupted) setText(this.overlay, `${v.label} — no data is arriving; ${v.detail}`);
  }

  renderNotice(text: string | null): void {
    this.notice.hidden = text === null;
    setText(this.notice, text ?? '');
  }
}
