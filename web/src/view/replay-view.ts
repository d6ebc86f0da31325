import { clockText, type DisplayZone, REPLAY_SPEEDS, type ReplayControl } from '../model/index.ts';
import { byId, el, setText } from './dom.ts';

/**
 * The replay bar: shown only when the server's `welcome.mode` is `"replay"`. It shows the replay clock and
 * state; play/pause, speed and the seek scrubber drive a {@link ReplayControl}. Without one (a page given
 * none) the controls stay disabled.
 */
export class ReplayView {
  private readonly root = byId('replay', HTMLElement);
  private readonly clock = byId('r-clock', HTMLElement);
  private readonly play = byId('r-play', HTMLButtonElement);
  private readonly speed = byId('r-speed', HTMLSelectElement);
  private readonly seek = byId('r-seek', HTMLInputElement);
  private readonly hint = byId('r-hint', HTMLElement);
  private readonly control: ReplayControl | null;

  constructor(control: ReplayControl | null) {
    this.control = control;
    for (const s of [...REPLAY_SPEEDS, Number.POSITIVE_INFINITY]) {
      const o = el('option', '', Number.isFinite(s) ? `${s}×` : 'max');
      o.value = String(s);
      o.selected = s === 1;
      this.speed.append(o);
    }
    const off = control === null;
    this.play.disabled = off;
    this.speed.disabled = off;
    this.seek.disabled = off;
    this.hint.hidden = !off;
    if (control !== null) {
      this.play.addEventListener('click', () => void (control.playing() ? control.pause() : control.play()));
      this.speed.addEventListener('change', () => void control.setSpeed(Number(this.speed.value)));
      this.seek.addEventListener('change', () => {
        const { startUs, endUs } = control.range();
        void control.seek(startUs + ((endUs - startUs) * Number(this.seek.value)) / 1000);
      });
    }
  }

  /** Shows `message` (a refused request) until the next one. */
  showError(message: string | null): void {
    this.hint.hidden = message === null;
    setText(this.hint, message ?? '');
  }

  render(mode: 'live' | 'replay', clockUs: number | null, tz: DisplayZone): void {
    this.root.hidden = mode !== 'replay';
    if (mode !== 'replay') return;
    setText(this.clock, clockUs === null ? '—' : clockText(clockUs, tz));
    // The clock's exact value, for tests and tools that read the page.
    this.clock.dataset.us = clockUs === null ? '' : String(clockUs);
    const c = this.control;
    if (c !== null) {
      setText(this.play, c.playing() ? 'Pause' : 'Play');
      this.play.setAttribute('aria-pressed', String(c.playing()));
      const speed = String(c.speed());
      if (this.speed.value !== speed && [...this.speed.options].some((o) => o.value === speed))
        this.speed.value = speed;
      const { startUs, endUs } = c.range();
      if (clockUs !== null && endUs > startUs) {
        this.seek.value = String(Math.round(((clockUs - startUs) / (endUs - startUs)) * 1000));
      }
    }
  }
}
