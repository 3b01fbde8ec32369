/** Numbers for axis ticks and tooltips in the webview (the extension formats everything else). */

/** 1234567 → "1.23M": short enough for an axis. */
export function shortNumber(value: number): string {
  const abs = Math.abs(value);
  for (const [limit, suffix] of [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ] as const) {
    if (abs >= limit) return `${Number((value / limit).toPrecision(3))}${suffix}`;
  }
  if (value === 0) return '0';
  return abs >= 100 ? value.toFixed(0) : String(Number(value.toPrecision(3)));
}

/** A value with its unit: bit rates scaled (`21.1 Gbit/s`), others shortened (`2.52k events/s`). */
export function withUnit(value: number, unit: string): string {
  if (unit === 'bit/s') {
    const scaled = shortNumber(value);
    const match = /^(-?[\d.]+)([kMGT]?)$/.exec(scaled);
    return match === null ? `${scaled} bit/s` : `${match[1]} ${match[2]}bit/s`;
  }
  return `${shortNumber(value)} ${unit}`;
}
