import { useApp } from '../state/store';

function Banner({
  tone,
  title,
  children,
  actions,
}: {
  tone: 'warn' | 'error';
  title: string;
  children: React.ReactNode;
  actions: React.ReactNode;
}) {
  const colours =
    tone === 'warn' ? 'border-amber-600 bg-amber-50 text-amber-950' : 'border-red-700 bg-red-50 text-red-950';
  return (
    <div
      role={tone === 'error' ? 'alert' : 'status'}
      className={`flex items-start gap-3 rounded border-l-4 px-4 py-2 ${colours}`}
    >
      <div className="flex-1">
        <p className="font-semibold">{title}</p>
        {children}
      </div>
      <div className="flex gap-2">{actions}</div>
    </div>
  );
}

const buttonClass = 'rounded border border-current px-2 py-0.5 text-sm';

/** Link problems (dismissible), worker crashes and computation errors. Nothing here blocks the page. */
export function Notices() {
  const notices = useApp((s) => s.notices);
  const crash = useApp((s) => s.crash);
  const error = useApp((s) => s.error);
  const { set, dismissNotices } = useApp.getState();
  const retry = () => set({ crash: null, error: null, retry: useApp.getState().retry + 1 });
  if (notices.length === 0 && !crash && !error) return null;
  return (
    <div className="flex flex-col gap-2 px-4 pt-2" data-testid="notices">
      {notices.length > 0 && (
        <Banner
          tone="warn"
          title="Some settings in this link were not used"
          actions={
            <button type="button" className={buttonClass} onClick={dismissNotices}>
              Dismiss
            </button>
          }
        >
          <ul className="list-disc pl-5 text-sm" data-testid="link-notices">
            {notices.map((n, i) => (
              <li key={i}>{n}</li>
            ))}
          </ul>
        </Banner>
      )}
      {crash && (
        <Banner
          tone="error"
          title="The simulation worker crashed and was restarted; your settings are kept"
          actions={
            <button type="button" className={buttonClass} onClick={retry}>
              Retry
            </button>
          }
        >
          <p className="text-sm">{crash}</p>
        </Banner>
      )}
      {error && !crash && (
        <Banner
          tone="error"
          title="This configuration could not be simulated"
          actions={
            <>
              <button type="button" className={buttonClass} onClick={retry}>
                Retry
              </button>
              <button type="button" className={buttonClass} onClick={() => set({ error: null })}>
                Dismiss
              </button>
            </>
          }
        >
          <p className="text-sm" data-testid="compute-error">
            {error}
          </p>
        </Banner>
      )}
    </div>
  );
}
