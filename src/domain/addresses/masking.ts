/**
 * Addresses are shown masked on every page (docs/requirements.md R-ADDR-2, the notice shows `jimu*****`): a few
 * leading characters of the local part, then a fixed run of `*` so the length leaks nothing,
 * and the domain hidden.
 */
export function maskAddress(address: string): string {
  const at = address.lastIndexOf('@');
  const local = at > 0 ? address.slice(0, at) : address;
  const chars = Array.from(local);
  // Short local parts show less, so that at least half of them stays hidden.
  const visible = chars.length >= 8 ? 4 : chars.length >= 4 ? 2 : 1;
  return chars.slice(0, visible).join('') + '*****';
}
