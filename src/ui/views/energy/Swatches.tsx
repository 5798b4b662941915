/** A colour legend: every colour of the view is named next to its swatch. */
export function Swatches({
  items,
  label,
}: {
  items: ReadonlyArray<{ label: string; colour: string }>;
  label: string;
}) {
  return (
    <ul className="flex flex-wrap gap-x-5 gap-y-1 text-sm text-slate-700" aria-label={label}>
      {items.map((it) => (
        <li key={it.label} className="flex items-center gap-1.5">
          <span
            aria-hidden
            className="inline-block h-3 w-3 rounded-sm border border-slate-400"
            style={{ background: it.colour }}
          />
          {it.label}
        </li>
      ))}
    </ul>
  );
}
