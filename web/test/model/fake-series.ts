import type { ChartPatch, ChartPoint } from '../../src/model/index.ts';

/**
 * The data rules of a lightweight-charts 5.2 series, as its source enforces them
 * (`DataLayer.updateSeriesData` and `checkItemsAreOrdered` in lightweight-charts.development.mjs):
 * - `setData` needs strictly ascending times;
 * - `update(item)` appends a newer time or replaces the newest one; an older time throws
 *   "Cannot update oldest data";
 * - `update(item, true)` (historicalUpdate) replaces an existing point and throws for a time it does not hold.
 * The model's patches are applied here in the Node tests; the browser tests run the real library.
 */
export class FakeSeries {
  points: ChartPoint[] = [];
  setDataCalls = 0;
  updateCalls = 0;

  setData(points: readonly ChartPoint[]): void {
    for (let i = 1; i < points.length; i++) {
      const prev = (points[i - 1] as ChartPoint).startUs;
      const cur = (points[i] as ChartPoint).startUs;
      if (!(prev < cur))
        throw new Error(`data must be asc ordered by time, index=${i}, time=${cur}, prev time=${prev}`);
    }
    this.points = [...points];
    this.setDataCalls++;
  }

  update(point: ChartPoint, historical: boolean): void {
    this.updateCalls++;
    const last = this.points[this.points.length - 1];
    if (!historical && last !== undefined && point.startUs < last.startUs) {
      throw new Error(`Cannot update oldest data, last time=${last.startUs}, new time=${point.startUs}`);
    }
    const at = this.points.findIndex((p) => p.startUs === point.startUs);
    if (historical && at < 0)
      throw new Error('Cannot update non-existing data point when historicalUpdate is true');
    if (at >= 0) this.points[at] = point;
    else this.points.push(point);
  }

  apply(patch: ChartPatch): void {
    switch (patch.kind) {
      case 'none':
        return;
      case 'reset':
        this.setData(patch.points);
        return;
      case 'update':
        for (const u of patch.updates) this.update(u.point, u.historical);
        return;
    }
  }
}
