/**
 * From a leaked screenshot, phone photo or text to a session (see ARCHITECTURE: insider-risk controls): the auditor drops (or picks) the image,
 * which is decoded here (image-decode.ts), or enters the 12-hex-digit code that `rwctl watermark
 * decode` recovered; the access log then says who, on which workstation, in which session and when.
 */
import { useId, useState, type DragEvent, type FormEvent } from 'react';
import { useResolveWatermark } from '../api/controls-hooks';
import { ErrorAlert } from '../components/error-alert';
import { utc } from './format';
import { decodeImageFile } from './image-decode';

type ImageState = { kind: 'idle' } | { kind: 'reading'; name: string } | { kind: 'found'; name: string; method: string } | { kind: 'none'; name: string } | { kind: 'refused'; message: string };

export function WatermarkLookup() {
  const resolve = useResolveWatermark();
  const ids = useId();
  const [code, setCode] = useState('');
  const [image, setImage] = useState<ImageState>({ kind: 'idle' });
  const [dragging, setDragging] = useState(false);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    resolve.mutate(code.trim());
  };
  const readImage = async (file: File | undefined) => {
    if (!file || image.kind === 'reading') return;
    setImage({ kind: 'reading', name: file.name });
    const outcome = await decodeImageFile(file);
    if (outcome.kind === 'found') {
      setImage({ kind: 'found', name: file.name, method: outcome.decode.evidence.method });
      setCode(outcome.decode.code);
      resolve.mutate(outcome.decode.code);
    } else if (outcome.kind === 'none') setImage({ kind: 'none', name: file.name });
    else setImage(outcome);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    void readImage(e.dataTransfer.files[0]);
  };
  const r = resolve.data;
  return (
    <form className="panel-form watermark-lookup" onSubmit={onSubmit} aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>Who leaked this?</h2>
      <div
        className={dragging ? 'drop-zone dragging' : 'drop-zone'}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <label htmlFor={`${ids}-image`}>Drop a screenshot or phone photo here, or choose one</label>
        <input id={`${ids}-image`} type="file" accept="image/*" aria-describedby={`${ids}-image-status`} onChange={(e) => void readImage(e.target.files?.[0])} />
        <p id={`${ids}-image-status`} role="status" aria-live="polite" className="hint">
          {image.kind === 'reading'
            ? `Reading the watermark in ${image.name}…`
            : image.kind === 'found'
              ? `Found code ${code} in ${image.name}${image.method === 'photo' ? ' (read as a photo of the screen)' : ''}.`
              : image.kind === 'none'
                ? `No watermark was found in ${image.name}.`
                : image.kind === 'refused'
                  ? image.message
                  : 'The image is read on this screen; only the code is looked up.'}
        </p>
      </div>
      <label htmlFor={`${ids}-code`}>Session code (12 hex digits)</label>
      <input
        id={`${ids}-code`}
        value={code}
        onChange={(e) => setCode(e.target.value)}
        pattern="[0-9a-fA-F]{12}"
        maxLength={12}
        aria-describedby={`${ids}-hint`}
        autoComplete="off"
        spellCheck={false}
      />
      <p id={`${ids}-hint`} className="hint">
        As decoded from a screenshot, photo or copied text by rwctl watermark decode.
      </p>
      <button type="submit" className="primary" disabled={resolve.isPending || !/^[0-9a-fA-F]{12}$/.test(code.trim())}>
        Trace
      </button>
      <ErrorAlert error={resolve.error} />
      {r ? (
        r.found ? (
          <p role="status" className="success-note">
            <strong>Code {r.code}:</strong> {r.user ?? '(unknown user)'} on workstation {r.workstation ?? '?'}, session {r.session ?? '?'}, from{' '}
            {r.from !== null ? utc(r.from) : '?'} to {r.to !== null ? utc(r.to) : '?'} (access-log entry {r.seq ?? '?'}).
          </p>
        ) : (
          <p role="status">
            <strong>Code {r.code}:</strong> no session on this workstation's log carries this code.
          </p>
        )
      ) : null}
    </form>
  );
}
