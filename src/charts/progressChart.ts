import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import type { ChartRenderer } from '../core/ports/extensions.js';
import type { ProgressReport } from '../core/progress.js';
import { progressSvg } from './svg.js';

const require = createRequire(import.meta.url);

function fontFiles(): string[] {
  const dir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  return [join(dir, 'DejaVuSans.ttf'), join(dir, 'DejaVuSans-Bold.ttf')];
}

/** Renders progress charts to PNG in-process (SVG → resvg), with fonts shipped in node_modules. */
export class PngChartRenderer implements ChartRenderer {
  private readonly fonts = fontFiles();

  constructor(private readonly folder: string) {}

  async renderProgress(userId: string, report: ProgressReport): Promise<string> {
    const svg = progressSvg(report);
    const png = new Resvg(svg, { font: { fontFiles: this.fonts, loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' }, background: '#ffffff' }).render().asPng();
    mkdirSync(this.folder, { recursive: true });
    const file = join(this.folder, `progress-${userId.replace(/[^a-zA-Z0-9_-]+/g, '_')}.png`);
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, png);
    renameSync(temp, file);
    return file;
  }
}
