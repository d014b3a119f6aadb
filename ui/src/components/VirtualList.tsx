import { useEffect, useRef, useState, type ReactNode } from 'react'
import { visibleRange } from '../actions'

// VirtualList renders only the rows in view (plus a few), so a list of
// thousands stays as fast as a list of ten.
export function VirtualList<R>({
  rows,
  rowHeight,
  render,
  label,
}: {
  rows: R[]
  rowHeight: number
  render: (row: R, index: number) => ReactNode
  label: string
}) {
  const ref = useRef<HTMLDivElement>(null)
  const [scrollTop, setScrollTop] = useState(0)
  const [height, setHeight] = useState(800)
  useEffect(() => {
    const el = ref.current
    if (!el) return
    const ro = new ResizeObserver(() => setHeight(el.clientHeight))
    ro.observe(el)
    return () => ro.disconnect()
  }, [])
  const { first, last } = visibleRange(scrollTop, height, rowHeight, rows.length)
  const items: ReactNode[] = []
  for (let i = first; i < last; i++) {
    items.push(
      <li key={i} className="vrow" style={{ top: i * rowHeight, height: rowHeight }} aria-setsize={rows.length} aria-posinset={i + 1}>
        {render(rows[i], i)}
      </li>,
    )
  }
  return (
    <div className="vlist" ref={ref} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)} tabIndex={0} role="region" aria-label={label}>
      <ul style={{ height: rows.length * rowHeight }}>{items}</ul>
    </div>
  )
}
