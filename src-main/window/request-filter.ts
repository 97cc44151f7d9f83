import { APP_ORIGIN } from './app-origin';

/**
 * The renderer may load only its own files. Anything else (a remote image in a sanitiser miss, a
 * tracking pixel in a PDF, a devtools extension fetch) is cancelled and reported to the access log.
 */
export function isAllowedRendererRequest(url: string): boolean {
  return url.startsWith(`${APP_ORIGIN}/`) || url.startsWith(`blob:${APP_ORIGIN}/`);
}
