import { useApp } from '../state/store';
import { useReportIsCurrent } from '../hooks/useSimulation';
import { fillTemplate } from './template';

/** A caption with its placeholders filled from the report on screen ("…" while it is being computed). */
export function Caption({ template, className }: { template: string; className?: string }) {
  const report = useApp((s) => s.report);
  const current = useReportIsCurrent();
  const parts = fillTemplate(template, current ? report : null);
  return (
    <span className={className}>
      {parts.map((p, i) =>
        p.figure ? (
          <strong key={i} className="tabular-nums" data-figure>
            {p.text}
          </strong>
        ) : (
          <span key={i}>{p.text}</span>
        ),
      )}
    </span>
  );
}
