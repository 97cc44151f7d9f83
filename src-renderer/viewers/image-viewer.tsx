import { useEffect, useMemo, useRef, useState } from 'react';
import { canvasPng, useRegisterExcerpt, type ExcerptProvider } from './excerpt-context';

/** PNG, JPEG, WebP from the artifact's bytes through a blob: URL (the CSP's only image source besides 'self'). */
export function ImageViewer({ bytes, mediaType, name }: { bytes: Uint8Array; mediaType: string; name: string }) {
  const [url, setUrl] = useState<string | null>(null);
  const img = useRef<HTMLImageElement>(null);
  const excerpt = useMemo<ExcerptProvider>(
    () => ({
      label: () => 'image',
      get: async () => {
        const el = img.current;
        if (!el || el.naturalWidth === 0) throw new Error('The image is not loaded.');
        // Re-drawn on a canvas so what leaves is pixels, never the submitted file's bytes or metadata.
        const canvas = document.createElement('canvas');
        canvas.width = el.naturalWidth;
        canvas.height = el.naturalHeight;
        canvas.getContext('2d')?.drawImage(el, 0, 0);
        return { kind: 'png', png: await canvasPng(canvas) };
      },
    }),
    [],
  );
  useRegisterExcerpt(excerpt);
  useEffect(() => {
    const objectUrl = URL.createObjectURL(new Blob([bytes.slice()], { type: mediaType }));
    setUrl(objectUrl);
    return () => URL.revokeObjectURL(objectUrl);
  }, [bytes, mediaType]);
  return <figure className="image-viewer">{url ? <img ref={img} src={url} alt={`Image artifact ${name}`} /> : null}<figcaption className="hint">{name}</figcaption></figure>;
}
