import { useState, type ReactElement } from 'react';
import { authorizedFetch, worklistExportUrl, type WorklistExportVariables } from '../../lib/api';

/**
 * Downloads the list the page shows (its `worklist` variables: segment, run, filter, order) as a
 * CSV, every page of it. The download carries the signed-in token like the API calls, so it is
 * fetched and handed to the browser as a file rather than opened as a link.
 */
export function ExportButton({ variables }: { variables: WorklistExportVariables }): ReactElement {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const download = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const response = await authorizedFetch(worklistExportUrl(variables));
      if (!response.ok) {
        setProblem(await refusalOf(response));
        return;
      }
      saveFile(await response.blob(), fileNameOf(response) ?? 'worklist.csv');
    } catch {
      setProblem('The export did not finish (the connection broke). Try again.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="export-bar">
      {problem && (
        <span className="export-problem" role="alert">
          {problem}
        </span>
      )}
      <button type="button" className="button" onClick={() => void download()} disabled={busy} title="Every partner of this list, as filtered and ordered here">
        <DownloadIcon />
        {busy ? 'Exporting…' : 'Export CSV'}
      </button>
    </div>
  );
}

async function refusalOf(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { errors?: Array<{ message?: string }> };
    const message = body.errors?.[0]?.message;
    if (message) return `The export was refused: ${message}`;
  } catch {
    // not JSON: say the status
  }
  return `The export failed (HTTP ${response.status}).`;
}

function fileNameOf(response: Response): string | null {
  return /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? null;
}

function saveFile(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the file once the click's task is over.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

function DownloadIcon(): ReactElement {
  return (
    <svg viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      <path d="M8 2.5v8M4.5 7 8 10.5 11.5 7M3 13.5h10" />
    </svg>
  );
}
