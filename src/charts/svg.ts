import type { ProgressReport } from '../core/progress.js';
import { toneFor, type Tone } from '../core/gradingPolicy.js';

const WIDTH = 800;
const HEIGHT = 420;

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const TONE_FILL: Record<Tone, string> = { good: '#2e9d5b', fair: '#e0a526', poor: '#d2493c', neutral: '#8a8f98' };

function colorFor(score: number): string {
  return TONE_FILL[toneFor(score)];
}

/** Two panels: mastery per area (bars) and daily average score over time (line). */
export function progressSvg(report: ProgressReport): string {
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="DejaVu Sans" font-size="12">`);
  parts.push(`<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`);
  parts.push(`<text x="20" y="28" font-size="16" font-weight="bold" fill="#222">Mastery per area</text>`);
  const areas = report.areas.slice(0, 12);
  const barLeft = 190;
  const barWidth = 180;
  const rowHeight = Math.min(26, 340 / Math.max(1, areas.length));
  areas.forEach((area, index) => {
    const y = 48 + index * rowHeight;
    const width = Math.max(2, (area.mastery / 100) * barWidth);
    parts.push(`<text x="${barLeft - 8}" y="${y + rowHeight * 0.65}" text-anchor="end" fill="#333">${escapeXml(area.area.slice(0, 26))}</text>`);
    parts.push(`<rect x="${barLeft}" y="${y + 3}" width="${barWidth}" height="${rowHeight - 8}" fill="#eeeeee"/>`);
    parts.push(`<rect x="${barLeft}" y="${y + 3}" width="${width.toFixed(1)}" height="${rowHeight - 8}" fill="${colorFor(area.mastery)}"/>`);
    parts.push(`<text x="${barLeft + barWidth + 6}" y="${y + rowHeight * 0.65}" fill="#333">${area.mastery}</text>`);
  });
  const left = 440;
  const top = 48;
  const plotWidth = 330;
  const plotHeight = 320;
  parts.push(`<text x="${left}" y="28" font-size="16" font-weight="bold" fill="#222">Score over time</text>`);
  parts.push(`<line x1="${left}" y1="${top + plotHeight}" x2="${left + plotWidth}" y2="${top + plotHeight}" stroke="#888"/>`);
  parts.push(`<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotHeight}" stroke="#888"/>`);
  for (const tick of [0, 50, 100]) {
    const y = top + plotHeight - (tick / 100) * plotHeight;
    parts.push(`<text x="${left - 6}" y="${y + 4}" text-anchor="end" fill="#666">${tick}</text>`);
    parts.push(`<line x1="${left}" y1="${y}" x2="${left + plotWidth}" y2="${y}" stroke="#eee"/>`);
  }
  const points = report.timeline.slice(-30);
  const step = points.length > 1 ? plotWidth / (points.length - 1) : 0;
  const coords = points.map((point, index) => [left + (points.length > 1 ? index * step : plotWidth / 2), top + plotHeight - (point.score / 100) * plotHeight] as const);
  if (coords.length > 1) parts.push(`<polyline fill="none" stroke="#3366cc" stroke-width="2" points="${coords.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ')}"/>`);
  for (const [x, y] of coords) parts.push(`<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="3.5" fill="#3366cc"/>`);
  const first = points[0];
  const last = points.at(-1);
  if (first) parts.push(`<text x="${left}" y="${top + plotHeight + 18}" fill="#666">${escapeXml(first.day)}</text>`);
  if (last && points.length > 1) parts.push(`<text x="${left + plotWidth}" y="${top + plotHeight + 18}" text-anchor="end" fill="#666">${escapeXml(last.day)}</text>`);
  parts.push(`<text x="20" y="${HEIGHT - 14}" fill="#666">Streak: ${report.streakDays} day(s) · answers graded: ${report.totalAnswered} · reviews due: ${report.dueReviews}</text>`);
  parts.push('</svg>');
  return parts.join('');
}
