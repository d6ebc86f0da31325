import { FeedClient } from 'tickwire/client';
import { FeedReplayControl, MarketFeed, PAGE_RECONNECT } from '../feed/index.ts';
import {
  type DisplayZone,
  exchangeZoneLabel,
  FrameScheduler,
  knownZone,
  MarketState,
  pageToken,
  parseSelection,
  parseTheme,
  parseTimeZone,
  type ReplayControl,
  resolveSelection,
  resolveTimeZone,
  type Selection,
  selectionSearch,
  type Theme,
  type TimeZoneMode,
  timeZoneSearch,
  urlTimeZone,
} from '../model/index.ts';
import { BookView } from './book-view.ts';
import { ChartView } from './chart-view.ts';
import { ControlsView } from './controls-view.ts';
import { byId } from './dom.ts';
import { ReplayView } from './replay-view.ts';
import { StatusView } from './status-view.ts';
import { TapeView } from './tape-view.ts';
import { TickerView } from './ticker-view.ts';

const BOOK_LEVELS = 10;
const TZ_KEY = 'tickwire.tz';
const THEME_KEY = 'tickwire.theme';
/** How often the status line samples the client's counters (latency, message rate). */
const SAMPLE_MS = 500;

function stored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // storage disabled (privacy mode): preferences last for the page's life
  }
}

function store(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // as above
  }
}

/**
 * The replay clock to show: the server's (reported every second and on every change), or, while playing, the
 * time of the latest event when that is further on.
 */
function replayClock(control: FeedReplayControl | null, lastEventUs: number | null): number | null {
  const status = control?.status ?? null;
  if (status === null) return lastEventUs;
  if (status.state !== 'playing' || lastEventUs === null) return status.clockUs;
  return Math.max(status.clockUs, lastEventUs);
}

/** Options of {@link startApp}. */
export interface AppOptions {
  /** the feed's WebSocket URL; default: `/v1/ws` of the page's own host */
  readonly feedUrl?: string;
  /** replay controls; default: the feed's own (`FeedReplayControl`), used when the feed is a replay */
  readonly replay?: ReplayControl | null;
}

/**
 * The page: the one place the parts are wired. The SDK's `FeedClient` feeds `MarketFeed`, which writes the
 * `MarketState`; every change asks the `FrameScheduler` for a frame, and each frame renders the parts that
 * changed. The selection lives in the URL (`?symbol=…&interval=…`, history entries per change, the back
 * button works); time zone and theme in local storage, the time zone also in the URL (`&tz=exchange`) once
 * chosen, so that a shared link reads times on the same clock.
 */
export async function startApp(options: AppOptions = {}): Promise<void> {
  const root = document.documentElement;
  let tz: TimeZoneMode = urlTimeZone(location.search) ?? parseTimeZone(stored(TZ_KEY)) ?? 'local';
  let theme: Theme =
    parseTheme(stored(THEME_KEY)) ?? (matchMedia('(prefers-color-scheme: light)').matches ? 'light' : 'dark');
  root.dataset.theme = theme;

  const chartView = new ChartView(byId('chart', HTMLElement), byId('legend', HTMLElement));
  const tickerView = new TickerView();
  const bookView = new BookView(BOOK_LEVELS);
  const tapeView = new TapeView(40);
  const statusView = new StatusView();

  // The zone the views show (null: none yet) and the exchange's as the feed last said it.
  let shownZone: DisplayZone | null = null;
  let shownExchange: string | undefined | null = null;
  /** The exchange's zone: a replayed import's (PROTOCOL.md §16), undefined for none (the simulator: UTC). */
  const exchangeZone = (): string | undefined => knownZone(replayControl?.status?.timeZone);
  const renderPrefs = (): void => controls.renderPrefs(tz, theme, exchangeZoneLabel(exchangeZone()));
  /** Follows the chosen mode and the feed's exchange zone; true when the views' zone changed. */
  const applyZone = (): boolean => {
    const exchange = exchangeZone();
    if (exchange !== shownExchange) {
      shownExchange = exchange;
      renderPrefs();
    }
    const zone = resolveTimeZone(tz, exchange);
    if (zone === shownZone) return false;
    shownZone = zone;
    chartView.setTimeZone(zone);
    return true;
  };

  const state: MarketState = new MarketState(() => frames.request());
  const render = (): void => {
    const dirty = state.takeDirty();
    const zoneChanged = applyZone();
    const zone = shownZone ?? undefined;
    const sel = state.selection;
    const inst = state.instrument;
    if (dirty.has('instruments') || dirty.has('selection')) controls.render(state.instruments, sel);
    if (dirty.has('chart') && sel !== null) chartView.render(state.chart, sel.symbol, sel.interval, inst);
    if (dirty.has('ticker')) tickerView.render(sel?.symbol ?? '', state.ticker, inst);
    if (dirty.has('book')) bookView.render(state.book, inst);
    if (dirty.has('tape') || zoneChanged) tapeView.render(state.tape, inst, zone);
    if (dirty.has('status')) statusView.render(state.connection, Date.now(), frames.frames);
    if (dirty.has('notice')) statusView.renderNotice(state.notice);
    if (dirty.has('mode') || zoneChanged || (state.mode === 'replay' && dirty.size > 0))
      replayView.render(state.mode, replayClock(replayControl, state.lastEventUs), zone);
  };
  const frames = new FrameScheduler((cb) => requestAnimationFrame(cb), render);

  const feedUrl =
    options.feedUrl ?? `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/v1/ws`;
  // A server with an auth secret: the page is opened as /?token=… and passes the token to both doors.
  const token = pageToken(location.search);
  // A page waits for its server however long it takes to come up: no first-connect deadline.
  const client = new FeedClient({
    url: feedUrl,
    // The REST API of the page's own server, as the page's requests always went (whatever `feedUrl` says).
    restUrl: location.origin,
    firstConnectTimeoutMs: null,
    reconnect: PAGE_RECONNECT,
    ...(token === undefined ? {} : { token }),
  });
  const replayControl =
    options.replay === undefined
      ? new FeedReplayControl(
          client,
          () => {
            replayView.showError(null);
            state.touch('mode');
          },
          (error) => replayView.showError(error instanceof Error ? error.message : String(error)),
        )
      : null;
  const replay = options.replay === undefined ? replayControl : options.replay;
  const replayView = new ReplayView(replay);
  const feed = new MarketFeed({
    client,
    state,
    bookDepth: BOOK_LEVELS,
    warn: (message) => console.warn(message),
    fail: (error) => console.error(error),
  });

  const select = (selection: Selection, push: boolean): void => {
    const search = selectionSearch(selection, location.search);
    if (search !== location.search) {
      if (push) history.pushState(null, '', search);
      else history.replaceState(null, '', search);
    }
    document.title = `${selection.symbol} ${selection.interval} · Tickwire`;
    feed.select(selection);
  };

  const controls = new ControlsView({
    select: (selection) => select(selection, true),
    setTimeZone: (next) => {
      tz = next;
      store(TZ_KEY, next);
      history.replaceState(null, '', timeZoneSearch(next, location.search));
      renderPrefs();
      state.touch('tape', 'mode');
    },
    setTheme: (next) => {
      theme = next;
      store(THEME_KEY, next);
      root.dataset.theme = next;
      renderPrefs();
      chartView.setTheme();
    },
  });
  applyZone();
  renderPrefs();

  setInterval(() => {
    state.connection.sample(client.stats, Date.now());
    state.touch('status');
  }, SAMPLE_MS);
  addEventListener('popstate', () => {
    const next = resolveSelection(
      parseSelection(location.search),
      state.instruments.map((i) => i.symbol),
    );
    if (next !== null) select(next, false);
  });
  addEventListener('pagehide', () => client.close());

  state.touch('status');
  await feed.start();
  const first = resolveSelection(
    parseSelection(location.search),
    state.instruments.map((i) => i.symbol),
  );
  if (first === null) {
    state.setNotice('The feed lists no instruments.');
    return;
  }
  select(first, false);
}
