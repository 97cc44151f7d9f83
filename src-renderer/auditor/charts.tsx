/**
 * Plain SVG charts (no chart library, nothing inline-styled: geometry attributes and CSS classes).
 * Each chart has a text title and a data table beside it, so the numbers are reachable without sight.
 */
import { useId } from 'react';
import type { AuditSummaryDto } from '../../src-shared/ipc/channels-audit';
import { utc } from './format';

const WIDTH = 420;
const HEIGHT = 190;
const PAD = { left: 44, right: 8, top: 10, bottom: 28 };

/** The axis top: a round number whose half (the middle grid line) is a whole number too. */
function niceMax(n: number): number {
  if (n <= 4) return 4;
  const magnitude = 10 ** Math.floor(Math.log10(n));
  const top = Math.ceil(n / magnitude) * magnitude;
  return top % 2 === 0 ? top : top + magnitude;
}

interface Bar {
  label: string;
  value: number;
}

/** `empty`: said instead of a chart of nothing but zeros (an empty axis reads as a broken chart). */
function BarChart({ title, bars, xLabelEvery, unit, empty }: { title: string; bars: Bar[]; xLabelEvery: number; unit: string; empty: string }) {
  const id = useId();
  if (bars.every((b) => b.value === 0)) {
    return (
      <figure className="chart">
        <figcaption>{title}</figcaption>
        <p className="chart-empty">{empty}</p>
      </figure>
    );
  }
  const max = niceMax(Math.max(0, ...bars.map((b) => b.value)));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const step = bars.length > 0 ? plotW / bars.length : plotW;
  const barW = Math.max(1, step * 0.8);
  return (
    <figure className="chart">
      <figcaption id={`${id}-title`}>{title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={`${id}-title`} className="chart-svg">
        {[0, 0.5, 1].map((f) => {
          const y = PAD.top + plotH * (1 - f);
          return (
            <g key={f}>
              <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y} y2={y} className="chart-grid" />
              <text x={PAD.left - 6} y={y + 4} className="chart-axis" textAnchor="end">
                {Math.round(max * f)}
              </text>
            </g>
          );
        })}
        {bars.map((b, i) => {
          const h = max > 0 ? (b.value / max) * plotH : 0;
          const x = PAD.left + i * step + (step - barW) / 2;
          return (
            <g key={`${b.label}:${i}`}>
              <rect x={x} y={PAD.top + plotH - h} width={barW} height={h} className="chart-bar">
                <title>
                  {b.label}: {b.value} {unit}
                </title>
              </rect>
              {i % xLabelEvery === 0 ? (
                <text x={x + barW / 2} y={HEIGHT - 8} className="chart-axis" textAnchor="middle">
                  {b.label}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <details>
        <summary>Show the numbers</summary>
        <table className="data-table">
          <caption className="visually-hidden">{title}</caption>
          <thead>
            <tr>
              <th scope="col">Bucket</th>
              <th scope="col">{unit}</th>
            </tr>
          </thead>
          <tbody>
            {bars.map((b, i) => (
              <tr key={`${b.label}:${i}`}>
                <th scope="row">{b.label}</th>
                <td>{b.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

/** Events per hour (UTC), gaps filled with zero so quiet hours show as quiet. */
export function HourChart({ perHour }: { perHour: AuditSummaryDto['perHour'] }) {
  const HOUR = 3_600_000;
  const bars: Bar[] = [];
  if (perHour.length > 0) {
    const start = perHour[0]!.hour;
    const end = perHour[perHour.length - 1]!.hour;
    const counts = new Map(perHour.map((h) => [h.hour, h.events]));
    // At most two weeks of hourly bars; beyond that the table and filters are the tool.
    for (let t = Math.max(start, end - 14 * 24 * HOUR); t <= end; t += HOUR) bars.push({ label: utc(t).slice(5, 13) + 'h', value: counts.get(t) ?? 0 });
  }
  return <BarChart title="Events per hour (UTC)" bars={bars} xLabelEvery={Math.max(1, Math.ceil(bars.length / 8))} unit="events" empty="No events in this range." />;
}

/** How long artifacts stayed open: closes per dwell bucket, summed over the artifacts in the filter. */
export function DwellChart({ dwell, labels }: { dwell: AuditSummaryDto['dwell']; labels: string[] }) {
  const totals = labels.map((_, i) => dwell.reduce((sum, d) => sum + (d.buckets[i] ?? 0), 0));
  const bars = labels.map((label, i) => ({ label, value: totals[i] ?? 0 }));
  return <BarChart title="Dwell time per artifact view" bars={bars} xLabelEvery={1} unit="views" empty="No artifact view ended in this range (a view's time is counted when it closes)." />;
}
