// Bars is a small bar chart drawn as SVG (no chart library): one or two
// series over labelled buckets, with a text table for screen readers.
export function Bars({
  title,
  labels,
  series,
}: {
  title: string
  labels: string[]
  series: Array<{ name: string; values: number[]; className: string }>
}) {
  const max = Math.max(1, ...series.flatMap((s) => s.values))
  const n = labels.length
  const w = 100 / Math.max(1, n)
  const bw = w / (series.length + 0.5)
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox="0 0 100 40" preserveAspectRatio="none" aria-hidden="true">
        {series.map((s, si) =>
          s.values.map((v, i) => {
            const h = (v / max) * 38
            return <rect key={si + '-' + i} className={s.className} x={i * w + si * bw} y={40 - h} width={bw * 0.9} height={h} />
          }),
        )}
      </svg>
      <div className="legend">
        {series.map((s) => (
          <span key={s.name}>
            <i className={'swatch ' + s.className} /> {s.name}
          </span>
        ))}
        <span className="muted small">
          {labels[0]} – {labels[n - 1]}
        </span>
      </div>
      <table className="sr-only">
        <caption>{title}</caption>
        <tbody>
          {labels.map((l, i) => (
            <tr key={l + i}>
              <th scope="row">{l}</th>
              {series.map((s) => (
                <td key={s.name}>
                  {s.name}: {s.values[i]}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  )
}
