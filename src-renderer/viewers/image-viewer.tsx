import { useEffect, useState } from 'react';

/** PNG, JPEG, WebP from the artifact's bytes through a blob: URL (the CSP's only image source besides 'self'). */
export function ImageViewer({ bytes, mediaType, name }: { bytes: Uint8Array; mediaType: string; name: string }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    const objectUrl = URL.createObjectURL(new Blob([bytes.slice()], { type: mediaType }));
    setUrl(objectUrl);
    return () => URL.revokeObjectURL(objectUrl);
  }, [bytes, mediaType]);
  return <figure className="image-viewer">{url ? <img src={url} alt={`Image artifact ${name}`} /> : null}<figcaption className="hint">{name}</figcaption></figure>;
}
