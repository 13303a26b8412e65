/** The local calendar day of `ms` (the user's day, not UTC's): `2025-01-31`. */
export function localDate(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}

/** The local day `n` days before `ms`'s. */
export function localDateBefore(ms: number, n: number): string {
  const d = new Date(ms);
  d.setDate(d.getDate() - n);
  return localDate(d.getTime());
}
