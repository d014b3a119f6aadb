// unreadLabel caps a badge as the server caps its counts (juta.MaxUnread).
export function unreadLabel(n: number): string {
  return n >= 100 ? '99+' : String(n)
}
